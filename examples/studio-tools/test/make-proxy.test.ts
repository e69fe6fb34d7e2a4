import { mkdtempSync } from 'node:fs';
import { chmod, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WhichResult } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const FFMPEG = '/opt/ffmpeg/bin/ffmpeg';
const installed: WhichResult = { path: FFMPEG, source: 'config', searched: [FFMPEG] };
const missing: WhichResult = {
  path: null,
  source: null,
  searched: ['$FFMPEG_EXE (unset)', '/usr/bin/ffmpeg', 'ffmpeg on PATH'],
};

// Made at once (not in beforeAll): the it.each tables below name files in it.
const dir = mkdtempSync(path.join(os.tmpdir(), 'studio-tools-proxy-'));
const fakeFfmpeg = path.join(dir, 'ffmpeg');
const at = (name: string): string => path.join(dir, name);
const argvOf = (recording: Awaited<ReturnType<typeof runAction>>) =>
  recording.runs.map((call) => [call.file, ...call.args]);

beforeAll(async () => {
  for (let frame = 1001; frame <= 1008; frame++)
    await writeFile(at(`sh010_comp.${frame}.exr`), `frame ${frame}`);
  await writeFile(at('plate.mov'), 'a movie');
  await writeFile(at('existing.mp4'), 'already here');
  await copyFile(new URL('./fixtures/fake-ffmpeg.mjs', import.meta.url), fakeFfmpeg);
  await chmod(fakeFfmpeg, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('studio-tools.make_proxy', () => {
  it('runs ffmpeg on an EXR sequence from its first frame, with the sRGB curve and no audio', async () => {
    const recording = await runAction(plugin, 'make_proxy', {
      params: {
        input: at('sh010_comp.####.exr'),
        output: at('sh010_comp_proxy.mov'),
        width: 1280,
        frame_rate: 25,
      },
      onWhich: () => installed,
      onRun: () => ({ exitCode: 0 }),
    });
    expect(recording.error).toBeUndefined();
    expect(argvOf(recording)).toEqual([
      [
        FFMPEG,
        ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-progress', 'pipe:1', '-n'],
        ...[
          '-framerate',
          '25',
          '-start_number',
          '1001',
          '-apply_trc',
          'iec61966_2_1',
          '-i',
          at('sh010_comp.%04d.exr'),
        ],
        ...[
          '-vf',
          'scale=1280:-2:flags=lanczos',
          '-c:v',
          'libx264',
          '-preset',
          'fast',
          '-crf',
          '20',
          '-pix_fmt',
          'yuv420p',
          '-an',
        ],
        at('sh010_comp_proxy.mov'),
      ],
    ]);
    expect(recording.result).toEqual({
      output: at('sh010_comp_proxy.mov'),
      codec: 'h264',
      width: 1280,
      frames: 0,
    });
  });

  it('keeps the audio of a movie, starts a sequence at start_frame, and writes ProRes Proxy', async () => {
    const movie = await runAction(plugin, 'make_proxy', {
      params: { input: at('plate.mov'), output: at('plate_proxy.mp4'), overwrite: true },
      onWhich: () => installed,
      onRun: () => ({ exitCode: 0 }),
    });
    expect(argvOf(movie)[0]).toEqual(
      expect.arrayContaining([
        '-y',
        '-i',
        at('plate.mov'),
        'scale=1920:-2:flags=lanczos',
        '-c:a',
        'aac',
        '-movflags',
        '+faststart',
      ]),
    );
    const prores = await runAction(plugin, 'make_proxy', {
      params: {
        input: at('sh010_comp.@@@@.exr'),
        output: at('proxy.mov'),
        codec: 'prores_proxy',
        start_frame: 1005,
      },
      onWhich: () => installed,
      onRun: () => ({ exitCode: 0 }),
    });
    expect(argvOf(prores)[0]).toEqual(
      expect.arrayContaining(['-start_number', '1005', '-c:v', 'prores_ks', '-profile:v', '0']),
    );
  });

  it('fails with APP_NOT_FOUND, naming where it looked, when ffmpeg is missing', async () => {
    const recording = await runAction(plugin, 'make_proxy', {
      params: { input: at('plate.mov'), output: at('out.mp4') },
      onWhich: () => missing,
    });
    expect(recording.error).toMatchObject({
      code: 'APP_NOT_FOUND',
      details: { app: 'ffmpeg', searched: missing.searched },
    });
    expect(recording.error?.message).toContain('/usr/bin/ffmpeg');
    expect(recording.runs).toHaveLength(0);
  });

  it('refuses to overwrite an existing output unless asked', async () => {
    const recording = await runAction(plugin, 'make_proxy', {
      params: { input: at('plate.mov'), output: at('existing.mp4') },
      onWhich: () => installed,
    });
    expect(recording.error).toMatchObject({ code: 'OUTPUT_EXISTS', details: { field: 'params.output' } });
  });

  it.each([
    [{ input: at('nothing.####.exr'), output: at('a.mov') }, 'PATH_NOT_FOUND', 'params.input'],
    [{ input: at('nothing.mov'), output: at('a.mov') }, 'PATH_NOT_FOUND', 'params.input'],
    [
      { input: at('plate.mov'), output: at('a.mp4'), codec: 'prores_proxy' },
      'INVALID_PARAMS',
      'params.output',
    ],
    [{ input: at('plate.mov'), output: at('a.avi') }, 'INVALID_PARAMS', 'params.output'],
    [{ input: 'plate.mov', output: at('a.mov') }, 'INVALID_PARAMS', 'params.input'],
  ])('refuses %j with %s', async (params, code, field) => {
    const recording = await runAction(plugin, 'make_proxy', {
      params,
      onWhich: () => installed,
      onRun: () => ({ exitCode: 0 }),
    });
    expect(recording.error).toMatchObject({ code, details: { field } });
    expect(recording.runs).toHaveLength(0);
  });

  describe.skipIf(process.platform === 'win32')('with a real process', () => {
    it('writes the proxy and reports ffmpeg progress by frames', async () => {
      const recording = await runAction(plugin, 'make_proxy', {
        params: { input: at('sh010_comp.####.exr'), output: at('real_proxy.mov') },
        config: { ffmpeg: fakeFfmpeg },
      });
      expect(recording.error).toBeUndefined();
      expect(recording.result).toEqual({
        output: at('real_proxy.mov'),
        codec: 'h264',
        width: 1920,
        frames: 8,
      });
      expect(await readFile(at('real_proxy.mov'), 'utf8')).toBe(
        `fake proxy of ${at('sh010_comp.%04d.exr')}\n`,
      );
      expect(recording.whichCalls[0]?.result).toMatchObject({ path: fakeFfmpeg, source: 'config' });
      expect(recording.progress.map((p) => p.fraction)).toEqual([0, 0.25, 0.5, 0.75, 1]);
      expect(recording.progress.at(-1)).toEqual({ fraction: 1, message: 'frame 8 of 8' });
    });

    it('reports progress of a movie by time over its duration', async () => {
      const recording = await runAction(plugin, 'make_proxy', {
        params: { input: at('plate.mov'), output: at('movie_proxy.mp4') },
        config: { ffmpeg: fakeFfmpeg },
      });
      expect(recording.result).toMatchObject({ frames: 48 });
      expect(recording.progress.map((p) => p.fraction)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    });

    it('fails with PROCESS_FAILED and ffmpeg’s last words when it exits with an error', async () => {
      const recording = await runAction(plugin, 'make_proxy', {
        params: { input: at('plate.mov'), output: at('broken.mp4') },
        config: { ffmpeg: fakeFfmpeg },
        env: { ...process.env, FAKE_FFMPEG_FAIL: '1' },
      });
      expect(recording.error).toMatchObject({
        code: 'PROCESS_FAILED',
        message: `ffmpeg exited with 1: ${at('plate.mov')}: Invalid data found when processing input`,
        details: { exit_code: 1 },
      });
    });

    it('kills ffmpeg when the job times out', async () => {
      const recording = await runAction(plugin, 'make_proxy', {
        params: { input: at('plate.mov'), output: at('hung.mp4') },
        config: { ffmpeg: fakeFfmpeg },
        env: { ...process.env, FAKE_FFMPEG_HANG: '1' },
        timeoutMs: 1500,
      });
      expect(recording.error).toMatchObject({ code: 'TIMEOUT' });
      expect(recording.progress.map((p) => p.fraction)).toEqual([0, 0.25]);
    });
  });
});
