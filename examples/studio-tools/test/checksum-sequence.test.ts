import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';
import { checksumFrames } from '../src/checksum.js';

let dir: string;
const content = (frame: number): string => `pixels of frame ${frame}\n`.repeat(frame - 1000);
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'studio-tools-checksum-'));
  for (const frame of [1001, 1002, 1003, 1005])
    await writeFile(path.join(dir, `sh010_bg.${frame}.exr`), content(frame));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('studio-tools.checksum_sequence', () => {
  it('hashes every frame on disk, with progress per file', async () => {
    const recording = await runAction(plugin, 'checksum_sequence', {
      params: { sequence: path.join(dir, 'sh010_bg.####.exr') },
    });
    expect(recording.error).toBeUndefined();
    const result = recording.result as {
      frames: { frame: number; checksum: string; bytes: number }[];
      count: number;
      bytes: number;
      missing: number[];
      algorithm: string;
    };
    expect(result.algorithm).toBe('sha256');
    expect(result.frames.map((f) => [f.frame, f.checksum, f.bytes])).toEqual(
      [1001, 1002, 1003, 1005].map((frame) => [
        frame,
        sha256(content(frame)),
        Buffer.byteLength(content(frame)),
      ]),
    );
    expect(result).toMatchObject({
      count: 4,
      missing: [],
      bytes: [1001, 1002, 1003, 1005].reduce((sum, f) => sum + Buffer.byteLength(content(f)), 0),
    });
    expect(recording.progress).toEqual([
      { fraction: 0.25, message: 'sh010_bg.1001.exr' },
      { fraction: 0.5, message: 'sh010_bg.1002.exr' },
      { fraction: 0.75, message: 'sh010_bg.1003.exr' },
      { fraction: 1, message: 'sh010_bg.1005.exr' },
    ]);
  });

  it('hashes only the frames asked for and lists the missing ones', async () => {
    const recording = await runAction(plugin, 'checksum_sequence', {
      params: { sequence: path.join(dir, 'sh010_bg.%04d.exr'), frames: '1002-1005', algorithm: 'md5' },
    });
    expect(recording.result).toMatchObject({ algorithm: 'md5', count: 3, missing: [1004] });
    expect((recording.result as { frames: { checksum: string }[] }).frames[0]!.checksum).toBe(
      createHash('md5').update(content(1002)).digest('hex'),
    );
  });

  it('gives the same digest for the same frames, and another when a frame changes', async () => {
    const params = { sequence: path.join(dir, 'sh010_bg.####.exr'), frames: '1001-1002' };
    const first = (await runAction(plugin, 'checksum_sequence', { params })).result as { digest: string };
    const again = (await runAction(plugin, 'checksum_sequence', { params })).result as { digest: string };
    const other = (
      await runAction(plugin, 'checksum_sequence', { params: { ...params, frames: '1001,1003' } })
    ).result as { digest: string };
    expect(again.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
  });

  it('fails with PATH_NOT_FOUND when no frame is on disk', async () => {
    const recording = await runAction(plugin, 'checksum_sequence', {
      params: { sequence: path.join(dir, 'sh999.####.exr') },
    });
    expect(recording.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field: 'params.sequence' } });
  });

  it.each([
    [{ sequence: 'plates/sh010.####.exr' }, 'params.sequence'],
    [{ sequence: '/plates/sh010.1001.exr' }, 'params.sequence'],
    [{ sequence: '/plates/sh010.####.exr', frames: '1001..1100' }, 'params.frames'],
    [{ sequence: '/plates/sh010.####.exr', algorithm: 'crc32' }, 'params.algorithm'],
  ])('refuses %j before reading anything', async (params, field) => {
    const recording = await runAction(plugin, 'checksum_sequence', { params });
    expect(recording.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field } });
  });

  it('stops between files once cancelled, with the cancel reason', async () => {
    const controller = new AbortController();
    const frames = [1001, 1002, 1003, 1005].map((frame) => ({
      frame,
      file: path.join(dir, `sh010_bg.${frame}.exr`),
    }));
    const done: number[] = [];
    const run = checksumFrames(frames, {
      algorithm: 'sha256',
      signal: controller.signal,
      onFrame: (count, result) => {
        done.push(result.frame);
        if (count === 2) controller.abort(new OpenClawError('CANCELLED', 'The job was cancelled'));
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(done).toEqual([1001, 1002]);
  });
});
