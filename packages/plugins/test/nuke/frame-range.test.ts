import { describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { FRAME_RANGE_PATTERN, MAX_FRAMES, parseFrameRange } from '../../src/nuke/frame-range.js';
import { nukePlugin } from '../../src/nuke/index.js';

const pattern = new RegExp(FRAME_RANGE_PATTERN);

describe('parseFrameRange: valid ranges', () => {
  it.each([
    ['1-100', ['1-100'], 100, 1, 100],
    ['1,10,20', ['1', '10', '20'], 3, 1, 20],
    ['1001-1100x2', ['1001-1100x2'], 50, 1001, 1099],
    ['1-5,10,30-50x2', ['1-5', '10', '30-50x2'], 17, 1, 50],
    ['1 , 3', ['1', '3'], 2, 1, 3],
    ['0', ['0'], 1, 0, 0],
    ['7-7', ['7-7'], 1, 7, 7],
    ['1-10x20', ['1-10x20'], 1, 1, 1],
    ['20-30,1-5', ['20-30', '1-5'], 16, 1, 30],
  ])('%s → -F %j', (input, parts, count, lowest, highest) => {
    expect(pattern.test(input)).toBe(true);
    const range = parseFrameRange(input);
    expect(range.parts.map((p) => p.text)).toEqual(parts);
    expect(range.frames).toHaveLength(count);
    expect(range.frames[0]).toBe(lowest);
    expect(range.frames.at(-1)).toBe(highest);
  });

  it('lists every frame a stepped range names, ascending', () => {
    expect(parseFrameRange('1-9x4,20').frames).toEqual([1, 5, 9, 20]);
  });
});

describe('parseFrameRange: rejected ranges', () => {
  // [input, does the schema pattern already reject it, what the message says]
  it.each([
    ['', true, /empty part/],
    ['-5', true, /not N, A-B or A-BxS/],
    ['-F', true, /not N, A-B or A-BxS/],
    ['--cont', true, /not N, A-B or A-BxS/],
    ['1--5', true, /not N, A-B or A-BxS/],
    ['1-', true, /not N, A-B or A-BxS/],
    ['1,,2', true, /empty part/],
    ['1,', true, /empty part/],
    ['5x2', true, /not N, A-B or A-BxS/],
    ['1-10x', true, /not N, A-B or A-BxS/],
    ['1-10by2', true, /not N, A-B or A-BxS/],
    ['1.5', true, /not N, A-B or A-BxS/],
    ['1 10', true, /not N, A-B or A-BxS/],
    ['1-10 x2', true, /not N, A-B or A-BxS/],
    ['1;rm -rf /', true, /not N, A-B or A-BxS/],
    ['$(id)', true, /not N, A-B or A-BxS/],
    ['１-10', true, /not N, A-B or A-BxS/],
    ['100-1', false, /ends before it starts; write 1-100/],
    ['1-10x0', false, /step of 0/],
    ['010-20', false, /leading zero in 010; write 10/],
    ['1-020', false, /leading zero/],
    ['1-10x02', false, /leading zero/],
    ['1-10,5', false, /frame 5 more than once/],
    ['1-10,10-20', false, /frame 10 more than once/],
    ['3,3', false, /frame 3 more than once/],
    ['1-100000000', false, /above 99999999/],
    [`0-${MAX_FRAMES}`, false, /more than 100000 frames/],
    [Array.from({ length: 101 }, (_, i) => String(i)).join(','), false, /101 parts/],
  ])('%j', (input, patternRejects, message) => {
    expect(pattern.test(input)).toBe(!patternRejects);
    let thrown: unknown;
    try {
      parseFrameRange(input);
    } catch (error) {
      thrown = error;
    }
    expect(isOpenClawError(thrown)).toBe(true);
    if (!isOpenClawError(thrown)) return;
    expect(thrown.code).toBe('INVALID_PARAMS');
    expect(thrown.message).toMatch(/^params\.frame_range /);
    expect(thrown.message).toMatch(message);
    expect(thrown.details).toMatchObject({ field: 'params.frame_range' });
  });
});

describe('render_write rejects a bad frame_range before starting anything', () => {
  it.each([
    ['-F 1', 'params.frame_range'],
    ['100-1', 'params.frame_range'],
    ['1-10,5', 'params.frame_range'],
  ])('%j → INVALID_PARAMS naming %s', async (frameRange, field) => {
    const rec = await runAction(nukePlugin, 'render_write', {
      params: { script: '/show/sh010/comp.nk', frame_range: frameRange },
      platform: 'linux',
      onWhich: () => ({ path: '/usr/local/Nuke15.1v3/Nuke15.1', source: 'location', searched: [] }),
      onRun: () => ({ exitCode: 0 }),
    });
    expect(rec.error?.code).toBe('INVALID_PARAMS');
    expect(rec.error?.details?.field).toBe(field);
    expect(rec.runs).toHaveLength(0);
    expect(rec.whichCalls).toHaveLength(0);
  });
});
