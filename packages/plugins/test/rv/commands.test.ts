import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunCall, TestRunOptions } from '@openclaw-node/plugin-sdk/testing';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import type { WhichSpec } from '@openclaw-node/plugin-sdk';
import { rvPlugin } from '../../src/rv/index.js';
import { createMedia, type Media } from './media.js';

let media: Media;
beforeAll(async () => {
  media = await createMedia();
});
afterAll(async () => {
  await media.cleanup();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const RV = '/opt/rv-2024.1.0/bin/rv';
const RVPUSH = '/opt/rv-2024.1.0/bin/rvpush';
const found = (spec: WhichSpec) => {
  const file = spec.names[0]!.startsWith('rvpush') ? RVPUSH : RV;
  return { path: file, source: 'location' as const, searched: [file] };
};

/** Run open_sources with everything outside scripted; rvpush answers with the given exit codes. */
function openSources(
  params: Record<string, unknown>,
  options: Partial<TestRunOptions> & { exits?: number[] } = {},
) {
  const exits = [...(options.exits ?? [])];
  return runAction(rvPlugin, 'open_sources', {
    platform: 'linux',
    onWhich: found,
    onLaunch: () => ({ pid: 4242 }),
    onRun: (call: RunCall) => ({
      exitCode: exits.shift() ?? 0,
      stderr: call.args.includes('py-exec') ? '' : 'INFO: rvpush',
    }),
    ...options,
    params,
  });
}

describe('mode "new": the rv command line', () => {
  it('launches rv detached with the paths as they are', async () => {
    const rec = await openSources({ sources: [media.movA, media.movB] });
    expect(rec.error).toBeUndefined();
    expect(rec.runs).toHaveLength(0);
    expect(rec.launches.map((l) => [l.file, ...l.args])).toEqual([[RV, media.movA, media.movB]]);
    expect(rec.result).toEqual({
      method: 'launched',
      started_new: true,
      mode: 'new',
      tag: null,
      command: [RV, media.movA, media.movB],
      pid: 4242,
    });
  });

  it('puts networking and display options first: -networkTag T -network -play -fullscreen', async () => {
    const rec = await openSources({
      sources: [media.movA],
      tag: 'review-1',
      play: true,
      fullscreen: true,
      screen: 1,
    });
    expect(rec.launches[0]!.args).toEqual([
      '-networkTag',
      'review-1',
      '-network',
      '-play',
      '-fullscreen',
      '-screen',
      '1',
      media.movA,
    ]);
    expect(rec.result).toMatchObject({ tag: 'review-1' });
  });

  it.each([
    ['wipe', '-wipe'],
    ['over', '-over'],
    ['tile', '-tile'],
    ['diff', '-diff'],
  ])('compare %s adds %s', async (compare, flag) => {
    const rec = await openSources({ sources: [media.movA, media.movB], compare });
    expect(rec.launches[0]!.args).toEqual([flag, media.movA, media.movB]);
  });

  it('maps playback options: -fps, -loopMode, -noaudio, -noSequence, -present', async () => {
    const rec = await openSources({
      sources: [media.movA],
      fps: 23.976,
      loop_mode: 'pingpong',
      no_audio: true,
      no_sequence: true,
      present: true,
      network: true,
    });
    expect(rec.launches[0]!.args).toEqual([
      '-network',
      '-present',
      '-fps',
      '23.976',
      '-loopMode',
      '2',
      '-noaudio',
      '-noSequence',
      media.movA,
    ]);
  });

  it('turns a source object into one [ … ] group with layers, audio and per-source options', async () => {
    const rec = await openSources({
      sources: [
        {
          path: path.join(media.plates, 'sh010.1001-1100#.exr'),
          audio: media.wav,
          in: 1001,
          out: 1003,
          fps: 24,
          range_start: 1,
          pixel_aspect: 2,
          volume: 0.5,
          no_movie_audio: true,
          look_lut: media.lut,
        },
        { path: media.movB },
        media.movA,
      ],
    });
    expect(rec.error).toBeUndefined();
    expect(rec.launches[0]!.args).toEqual([
      '[',
      path.join(media.plates, 'sh010.1001-1100#.exr'),
      media.wav,
      '-in',
      '1001',
      '-out',
      '1003',
      '-fps',
      '24',
      '-rs',
      '1',
      '-pa',
      '2',
      '-volume',
      '0.5',
      '-noMovieAudio',
      '-llut',
      media.lut,
      ']',
      media.movB,
      media.movA,
    ]);
  });

  it('accepts every RV sequence notation when frames exist, checking the folder', async () => {
    const patterns = [
      'sh010.#.exr',
      'sh010.@@@@.exr',
      'sh010.%04d.exr',
      'sh010.%d.exr',
      'sh010.1001-1003#.exr',
      'sh010.1,3@@@@.exr',
    ];
    const rec = await openSources({ sources: patterns.map((p) => path.join(media.plates, p)) });
    expect(rec.error).toBeUndefined();
    expect(rec.launches[0]!.args).toHaveLength(patterns.length);
  });

  it('groups stereo layers: [ left right ]', async () => {
    const rec = await openSources({ sources: [{ path: media.movA, layers: [media.movB] }] });
    expect(rec.launches[0]!.args).toEqual(['[', media.movA, media.movB, ']']);
  });

  it('opens a lone .rv given as a source, but refuses one mixed with media', async () => {
    const alone = await openSources({ sources: [media.session] });
    expect(alone.launches[0]!.args).toEqual([media.session]);
    const mixed = await openSources({ sources: [media.movA, media.session] });
    expect(mixed.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.sources[1]' } });
    expect(mixed.launches).toHaveLength(0);
  });
});

describe('modes "merge" and "set": rvpush', () => {
  it('runs rvpush -tag T merge <media> with rv as the RV to start if none answers', async () => {
    const rec = await openSources({
      sources: [{ path: media.movA, in: 1001 }, media.movB],
      mode: 'merge',
      tag: 'ws042',
    });
    expect(rec.error).toBeUndefined();
    expect(rec.launches).toHaveLength(0);
    expect(rec.runs).toHaveLength(1);
    expect([rec.runs[0]!.file, ...rec.runs[0]!.args]).toEqual([
      RVPUSH,
      '-tag',
      'ws042',
      'merge',
      '[',
      media.movA,
      '-in',
      '1001',
      ']',
      media.movB,
    ]);
    expect(rec.runs[0]!.options.env).toEqual({ RVPUSH_RV_EXECUTABLE_PATH: RV });
    expect(rec.result).toEqual({
      method: 'rvpush',
      started_new: false,
      mode: 'merge',
      tag: 'ws042',
      command: [RVPUSH, '-tag', 'ws042', 'merge', '[', media.movA, '-in', '1001', ']', media.movB],
    });
  });

  it('omits -tag without a tag, and says "none" when it must not start an RV', async () => {
    const rec = await openSources({ sources: [media.movA], mode: 'set', start_if_needed: false });
    expect(rec.runs[0]!.args).toEqual(['set', media.movA]);
    expect(rec.runs[0]!.options.env).toEqual({ RVPUSH_RV_EXECUTABLE_PATH: 'none' });
  });

  it('leaves RVPUSH_RV_EXECUTABLE_PATH alone when the studio set it', async () => {
    vi.stubEnv('RVPUSH_RV_EXECUTABLE_PATH', '/studio/bin/rv-wrapper');
    const rec = await openSources({ sources: [media.movA], mode: 'set' });
    expect(rec.runs[0]!.options.env).toBeUndefined();
  });

  it('reports exit 15 as a new RV started, and skips play (that RV cannot take commands yet)', async () => {
    const rec = await openSources(
      { sources: [media.movA], mode: 'set', tag: 'a', play: true },
      { exits: [15] },
    );
    expect(rec.runs).toHaveLength(1);
    expect(rec.result).toMatchObject({ method: 'rvpush', started_new: true, follow_up: { sent: false } });
  });

  it('sends play and fullscreen as a fixed py-exec that may never start an RV', async () => {
    const rec = await openSources({
      sources: [media.movA],
      mode: 'merge',
      tag: 'a',
      play: true,
      fullscreen: true,
    });
    expect(rec.runs.map((r) => r.args)).toEqual([
      ['-tag', 'a', 'merge', media.movA],
      ['-tag', 'a', 'py-exec', 'from rv import commands; commands.fullScreenMode(True); commands.play()'],
    ]);
    expect(rec.runs[1]!.options.env).toEqual({ RVPUSH_RV_EXECUTABLE_PATH: 'none' });
    expect(rec.result).toMatchObject({ follow_up: { sent: true } });
  });

  it('keeps a successful push when only the follow-up fails', async () => {
    const rec = await openSources({ sources: [media.movA], mode: 'merge', play: true }, { exits: [0, 11] });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      started_new: false,
      follow_up: { sent: false, reason: expect.stringMatching(/^RV_UNREACHABLE/) },
    });
    expect(rec.logs.some((l) => l.level === 'warn')).toBe(true);
  });

  it.each([
    [4, 'RV_UNREACHABLE', /exit 4/],
    [11, 'RV_UNREACHABLE', /could not start a new RV/],
    [3, 'PROCESS_FAILED', /exited with 3/],
    [1, 'PROCESS_FAILED', /exited with 1/],
  ])('maps rvpush exit %i to %s', async (exit, code, message) => {
    const rec = await openSources({ sources: [media.movA], mode: 'merge', tag: 'a' }, { exits: [exit] });
    expect(rec.error).toMatchObject({ code, details: { exitCode: exit, tag: 'a' } });
    expect(rec.error!.message).toMatch(message);
  });

  it('lets rvpush fall back to the one beside rv, then to install locations', async () => {
    const rec = await openSources({ sources: [media.movA], mode: 'merge' });
    const rvpushLookup = rec.whichCalls.find((c) => c.spec.names.includes('rvpush'))!;
    expect(rvpushLookup.spec.envVars).toEqual(['AGENT_RVPUSH_EXE']);
    expect(rvpushLookup.spec.locations![0]).toBe('/opt/rv-2024.1.0/bin/rvpush');
    expect(rvpushLookup.spec.locations).toContain('/opt/rv-*/bin/rvpush');
  });
});

describe('other platforms', () => {
  it('looks for rv.exe in the versioned Autodesk, ShotGrid and Shotgun folders on Windows', async () => {
    vi.stubEnv('ProgramFiles', 'D:\\Apps');
    const exe = 'D:\\Apps\\Autodesk\\RV-2025.0.0\\bin\\rv.exe';
    const rec = await openSources(
      { sources: [media.movA] },
      { platform: 'windows', onWhich: () => ({ path: exe, source: 'location', searched: [exe] }) },
    );
    expect(rec.whichCalls[0]!.spec).toEqual({
      names: ['rv.exe'],
      envVars: ['AGENT_RV_EXE'],
      locations: [
        'D:\\Apps\\Autodesk\\RV-*\\bin\\rv.exe',
        'D:\\Apps\\ShotGrid\\RV-*\\bin\\rv.exe',
        'D:\\Apps\\Shotgun\\RV-*\\bin\\rv.exe',
        'C:\\Program Files (x86)\\RV\\bin\\rv.exe',
      ],
    });
    expect(rec.launches[0]!.file).toBe(exe);
  });

  it('looks in RV.app bundles on macOS', async () => {
    const rec = await openSources({ sources: [media.movA] }, { platform: 'darwin' });
    const spec = rec.whichCalls[0]!.spec;
    expect(spec.names).toEqual(['RV', 'rv']);
    expect(spec.locations!.slice(0, 2)).toEqual([
      '/Applications/RV.app/Contents/MacOS/RV',
      '/Applications/RV*.app/Contents/MacOS/RV',
    ]);
    expect(spec.locations).toContain('/Applications/RV64.app/Contents/MacOS/RV64');
  });

  it('allows backslashes in pushed paths on Windows only (rvpush turns them into /)', async () => {
    const weird = path.join(media.root, 'back\\slash.mov');
    await import('node:fs/promises').then((fs) => fs.writeFile(weird, ''));
    const linux = await openSources({ sources: [weird], mode: 'merge' });
    expect(linux.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.sources[0]' } });
    const windows = await openSources({ sources: [weird], mode: 'merge' }, { platform: 'windows' });
    expect(windows.error).toBeUndefined();
    const fresh = await openSources({ sources: [weird] });
    expect(fresh.error).toBeUndefined();
  });
});
