import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '@openclaw-node/plugin-sdk';
import { runAction, type RunCall } from '@openclaw-node/plugin-sdk/testing';
import { nukePlugin } from '../../src/nuke/index.js';
import { RenderLog } from '../../src/nuke/render-log.js';

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-nuke-outcome-'));
  script = path.join(dir, 'a.nk');
  await writeFile(script, 'Root {\n}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Render with Nuke's output scripted: lines are streamed unless `stream` is false. */
const renderWith = (
  lines: string[],
  ending: Partial<RunResult>,
  params: Record<string, unknown> = {},
  stream = true,
) =>
  runAction(nukePlugin, 'render_write', {
    params: { script, frame_range: '1-2', ...params },
    platform: 'linux',
    onWhich: () => ({ path: '/usr/local/Nuke15.1v3/Nuke15.1', source: 'location', searched: [] }),
    onRun: (call: RunCall) => {
      if (stream) lines.forEach((line) => call.options.onStdoutLine?.(line));
      return { stdout: lines.join('\n'), ...ending };
    },
  });

const FRAMES = [
  'Writing /o/a.0001.exr took 1.2 seconds',
  'Frame 1 (1 of 2)',
  'Writing /o/a.0002.exr took 1.1 seconds',
  'Frame 2 (2 of 2)',
];

describe('judging a finished render', () => {
  it('succeeds although a beta banner mentions the licence in use', async () => {
    const rec = await renderWith(['Using "nuke" licence.  Beta expires on: 2023/11/1', ...FRAMES], {
      exitCode: 0,
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ frames_written: [1, 2], outputs: ['/o/a.0001.exr', '/o/a.0002.exr'] });
  });

  it.each([
    ['A license for nukex was not found'],
    ['RLM : A suitable license does not exist.'],
    ['FOUNDRY LICENSE ERROR REPORT'],
  ])('reports LICENSE_UNAVAILABLE for %j', async (line) => {
    const rec = await renderWith(['Nuke 15.1v3, 64 bit, built Apr  4 2024.', line], { exitCode: 1 });
    expect(rec.error?.code).toBe('LICENSE_UNAVAILABLE');
  });

  it('counts a bare licence mention only when Nuke failed with nothing else to say', async () => {
    const likely = await renderWith(['Nuke 15.1v3', 'Unable to check out licence'], { exitCode: 2 });
    expect(likely.error?.code).toBe('LICENSE_UNAVAILABLE');
    const other = await renderWith(
      ['Unable to check out licence', 'ERROR: Read1: missing file /plates/a.exr'],
      { exitCode: 2 },
    );
    expect(other.error?.code).toBe('RENDER_FAILED');
  });

  it('reports a Nuke killed by a signal as RENDER_FAILED naming the signal', async () => {
    const rec = await renderWith(FRAMES.slice(0, 2), { exitCode: null, signal: 'SIGKILL' });
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/stopped by SIGKILL/);
    expect(rec.error?.details).toMatchObject({ signal: 'SIGKILL', frames_written: [1] });
  });

  it('fails when the script range was rendered and Nuke reported fewer frames than its total', async () => {
    const rec = await renderWith(
      ['Frame 1 (1 of 3)', 'Frame 2 (2 of 3)'],
      { exitCode: 0 },
      { frame_range: undefined },
    );
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/2 of 3 frames/);
  });

  it('fails when Nuke exits 0 having reported nothing at all', async () => {
    const rec = await renderWith(['Nuke 15.1v3, 64 bit'], { exitCode: 0 }, { frame_range: undefined });
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/without reporting any frame/);
  });

  it('reads the output afterwards when the runtime did not stream lines', async () => {
    const rec = await renderWith(FRAMES, { exitCode: 0 }, {}, false);
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ frames_written: [1, 2] });
    expect(rec.progress.map((p) => p.fraction)).toEqual([0, 0.5, 1, 1]);
  });
});

describe('RenderLog', () => {
  it('recognises the lines deadline-cloud-for-nuke matches, and nothing else', () => {
    const log = new RenderLog();
    expect(log.push('Frame 1010 (2 of 5)')).toEqual({ kind: 'frame', frame: 1010, index: 2, total: 5 });
    expect(log.push('Writing J:/pat/a.01011.exr took 3.31 seconds')).toEqual({
      kind: 'output',
      path: 'J:/pat/a.01011.exr',
      seconds: 3.31,
    });
    expect(log.push('Writing J:/pat/a.01011.exr .1.3.6.8')).toBeNull();
    for (const line of ['ERROR: boom', 'Error: boom', 'Error : boom', 'Eddy[ERROR] - boom']) {
      expect(log.push(line)).toEqual({ kind: 'error', line });
    }
    expect(log.push('Total render time: 21 seconds')).toBeNull();
  });

  it('falls back to frame numbers in file names when Nuke printed no frame lines', () => {
    const log = new RenderLog();
    log.push('Writing /o/a.1001.exr took 1 seconds');
    log.push('Writing /o/b_left.1002.exr took 1 seconds');
    expect(log.framesWritten()).toEqual([1001, 1002]);
  });

  it('keeps only the last lines and cuts very long ones', () => {
    const log = new RenderLog();
    for (let i = 0; i < 100; i++) log.push(`line ${i}`);
    log.push('x'.repeat(5000));
    const tail = log.tail();
    expect(tail).toHaveLength(60);
    expect(tail[0]).toBe('line 41');
    expect(tail.at(-1)!.length).toBeLessThan(1100);
  });
});
