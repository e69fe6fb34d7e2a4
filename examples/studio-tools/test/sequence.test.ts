import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frameFile,
  isSequencePattern,
  listFrames,
  parseFrameList,
  parseFramePattern,
  toPrintfPattern,
} from '../src/sequence.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-tools-sequence-'));
  for (const name of [
    'sh010.0999.exr',
    'sh010.1000.exr',
    'sh010.1001.exr',
    'sh010.10000.exr',
    'sh010.01002.exr',
    'sh010.1003.exr.tmp',
    'sh020.1001.exr',
  ]) {
    await writeFile(path.join(dir, name), name);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('frame patterns', () => {
  it.each([
    ['/plates/sh010.####.exr', { prefix: 'sh010.', suffix: '.exr', padding: 4 }],
    ['/plates/sh010.@@@.dpx', { prefix: 'sh010.', suffix: '.dpx', padding: 3 }],
    ['/plates/sh010.%04d.exr', { prefix: 'sh010.', suffix: '.exr', padding: 4 }],
    ['/plates/sh010.%d.png', { prefix: 'sh010.', suffix: '.png', padding: 1 }],
    ['/plates/v#/sh010_v2.#####.tif', { prefix: 'sh010_v2.', suffix: '.tif', padding: 5 }],
  ])('reads %s', (pattern, expected) => {
    expect(parseFramePattern(pattern)).toEqual({ dir: path.dirname(pattern), ...expected });
    expect(isSequencePattern(pattern)).toBe(true);
  });

  it('refuses a path without a frame number, naming the field', () => {
    expect(isSequencePattern('/plates/#/sh010.exr')).toBe(false);
    expect(() => parseFramePattern('/plates/sh010.exr', 'params.input')).toThrow(
      'params.input has no frame number',
    );
  });

  it('names frame files and writes the printf form ffmpeg wants', () => {
    const pattern = parseFramePattern('/plates/sh010.####.exr');
    expect(frameFile(pattern, 7)).toBe(path.join('/plates', 'sh010.0007.exr'));
    expect(frameFile(pattern, 12345)).toBe(path.join('/plates', 'sh010.12345.exr'));
    expect(toPrintfPattern(parseFramePattern('/plates/100%_sh010.@@@@.exr'))).toBe(
      path.join('/plates', '100%%_sh010.%04d.exr'),
    );
  });

  it('lists the frames on disk in order, ignoring other shots, wrong padding and temp files', async () => {
    expect(await listFrames(parseFramePattern(path.join(dir, 'sh010.####.exr')))).toEqual([
      999, 1000, 1001, 10000,
    ]);
    expect(await listFrames(parseFramePattern(path.join(dir, 'nope', 'sh010.####.exr')))).toEqual([]);
  });
});

describe('frame lists', () => {
  it('expands ranges and single frames, sorted and without repeats', () => {
    expect(parseFrameList('1001-1003,1010,1002')).toEqual([1001, 1002, 1003, 1010]);
  });

  it('refuses a range that runs backwards or one that is far too long', () => {
    expect(() => parseFrameList('1100-1001')).toThrow('params.frames: 1100-1001 runs backwards');
    expect(() => parseFrameList('1-99999999')).toThrow('params.frames names more than 100000 frames');
  });
});
