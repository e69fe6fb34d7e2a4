import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { RvArgv, assertPushSafe, numberValue, safeValue } from '../../src/rv/argv.js';
import { rvPlugin } from '../../src/rv/index.js';
import { checkTag } from '../../src/rv/options.js';
import { framePattern, isSequencePattern } from '../../src/rv/sequence.js';
import { appendSource } from '../../src/rv/sources.js';
import { versionFromPath } from '../../src/rv/version.js';
import { createMedia, type Media } from './media.js';

let media: Media;
beforeAll(async () => {
  media = await createMedia();
});
afterAll(async () => {
  await media.cleanup();
});

/** Run with a which/run/launch that would succeed, so any error is the params' fault. */
function attempt(action: string, params: Record<string, unknown>) {
  return runAction(rvPlugin, action, {
    platform: 'linux',
    params,
    onWhich: () => ({ path: '/opt/rv/bin/rv', source: 'location', searched: [] }),
    onRun: () => ({}),
    onLaunch: () => ({ pid: 1 }),
  });
}

describe('hostile params are rejected before any process starts', () => {
  it.each([
    ['an option as a source', () => ({ sources: ['-eval'] }), 'params.sources[0]'],
    ['a relative source', () => ({ sources: ['sh010.mov'] }), 'params.sources[0]'],
    [
      'an option as a source object path',
      () => ({ sources: [{ path: '-pyeval' }] }),
      'params.sources[0].path',
    ],
    ['a lone bracket as a source', () => ({ sources: [']'] }), 'params.sources[0]'],
    ['an option-like tag', () => ({ sources: [media.movA], tag: '-network' }), 'params.tag'],
    ['a bracket tag', () => ({ sources: [media.movA], mode: 'merge', tag: ']' }), 'params.tag'],
    [
      'a tag with "_" (rvpush could never find it)',
      () => ({ sources: [media.movA], tag: 'ws_042' }),
      'params.tag',
    ],
    ['a tag with a space', () => ({ sources: [media.movA], tag: 'a b' }), 'params.tag'],
    ['a negative frame', () => ({ sources: [{ path: media.movA, in: -5 }] }), 'params.sources[0].in'],
    ['a string frame', () => ({ sources: [{ path: media.movA, in: '-5' }] }), 'params.sources[0].in'],
    [
      'an unknown source option',
      () => ({ sources: [{ path: media.movA, eval: 'x' }] }),
      'params.sources[0].eval',
    ],
    ['an unknown option', () => ({ sources: [media.movA], pyeval: 'import os' }), 'params.pyeval'],
    [
      'an unknown compare mode',
      () => ({ sources: [media.movA, media.movB], compare: '-eval' }),
      'params.compare',
    ],
    ['an unknown mode', () => ({ sources: [media.movA], mode: 'url' }), 'params.mode'],
    ['no sources', () => ({ sources: [] }), 'params.sources'],
  ])('open_sources: %s', async (_label, params, field) => {
    const rec = await attempt('open_sources', params());
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field } });
    expect(rec.runs).toHaveLength(0);
    expect(rec.launches).toHaveLength(0);
  });

  it.each([
    ['a double quote (Mu injection through rvpush)', 'a"); system("id'],
    ['a backslash on POSIX (escapes the Mu literal)', 'a\\"b'],
  ])('refuses to push a path with %s, but opens it in a new RV', async (_label, name) => {
    const file = path.join(media.root, `${name}.mov`);
    await writeFile(file, '');
    const pushed = await attempt('open_sources', {
      sources: [{ path: media.movA, layers: [file] }],
      mode: 'set',
    });
    expect(pushed.error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.sources[0].layers[0]' },
    });
    expect(pushed.error!.message).toMatch(/use mode "new"/);
    expect(pushed.runs).toHaveLength(0);
    const launched = await attempt('open_sources', { sources: [file] });
    expect(launched.error).toBeUndefined();
    expect(launched.launches[0]!.args).toEqual([file]);
  });

  it.each([
    ['compare', { compare: 'wipe' }],
    ['fps', { fps: 24 }],
    ['screen', { screen: 1 }],
    ['network', { network: true }],
  ])('refuses the new-only option %s with merge', async (key, extra) => {
    const rec = await attempt('open_sources', { sources: [media.movA, media.movB], mode: 'merge', ...extra });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: `params.${key}` } });
    expect(rec.runs).toHaveLength(0);
  });

  it('refuses out before in, compare with one source, and an .rv pushed with rvpush', async () => {
    const reversed = await attempt('open_sources', { sources: [{ path: media.movA, in: 20, out: 10 }] });
    expect(reversed.error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.sources[0].out' },
    });
    const lonely = await attempt('open_sources', { sources: [media.movA], compare: 'wipe' });
    expect(lonely.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.compare' } });
    const session = await attempt('open_sources', { sources: [media.session], mode: 'set' });
    expect(session.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.sources[0]' } });
  });

  it('names the missing path: a file, a sequence folder, a sequence with no frames, a LUT folder', async () => {
    const cases: [unknown, string, RegExp][] = [
      [path.join(media.root, 'nope.mov'), 'params.sources[0]', /does not exist/],
      [path.join(media.root, 'nope', 'sh010.#.exr'), 'params.sources[0]', /folder that does not exist/],
      [path.join(media.plates, 'sh020.#.exr'), 'params.sources[0]', /no frames/],
      [{ path: media.movA, look_lut: media.plates }, 'params.sources[0].look_lut', /must be a file/],
      [
        { path: media.movA, audio: path.join(media.root, 'x.wav') },
        'params.sources[0].audio',
        /does not exist/,
      ],
    ];
    for (const [source, field, message] of cases) {
      const rec = await attempt('open_sources', { sources: [source] });
      expect(rec.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field } });
      expect(rec.error!.message).toMatch(message);
      expect(rec.launches).toHaveLength(0);
    }
  });

  it('open_session: refuses a non-.rv file, a missing one, and a bad tag', async () => {
    expect((await attempt('open_session', { session_file: media.movA })).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.session_file' },
    });
    expect(
      (await attempt('open_session', { session_file: path.join(media.root, 'gone.rv') })).error,
    ).toMatchObject({
      code: 'PATH_NOT_FOUND',
      details: { field: 'params.session_file' },
    });
    expect((await attempt('open_session', { session_file: media.session, tag: '-x' })).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.tag' },
    });
  });
});

describe('the argv guards themselves (what the handler re-checks after the schema)', () => {
  it('safeValue refuses option-like values, lone brackets, empty and control characters', () => {
    for (const value of ['-foo', '--', '[', ']', '', 'a\nb']) {
      expect(() => safeValue(value, 'params.x')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    }
    expect(safeValue('/show/[v2]/a.exr', 'params.x')).toBe('/show/[v2]/a.exr');
  });

  it('checkTag re-checks the pattern', () => {
    expect(checkTag('review-1.a')).toBe('review-1.a');
    for (const tag of ['-x', ']', 'a_b', '', 'a b'])
      expect(() => checkTag(tag)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });

  it('numberValue never yields a sign or exponent', () => {
    expect(numberValue(23.976, 'f')).toBe('23.976');
    expect(numberValue(1001, 'f')).toBe('1001');
    expect(numberValue(1e-7, 'f')).toBe('0');
    expect(numberValue(123456789012, 'f')).toBe('123456789012');
    expect(() => numberValue(1e21, 'f')).toThrow();
    expect(() => numberValue(-1, 'f')).toThrow();
    expect(() => numberValue(Number.NaN, 'f')).toThrow();
  });

  it('RvArgv allows only known flags and balanced, un-nested groups', () => {
    expect(() => new RvArgv().flag('-eval', 'x')).toThrow(/not an allowed RV flag/);
    expect(() => new RvArgv().open().open()).toThrow(/cannot nest/);
    expect(() => new RvArgv().open().toArray()).toThrow(/left open/);
    const argv = new RvArgv();
    appendSource(argv, { path: '/a.mov', in: 1 }, 'params.sources[0]');
    expect(argv.toArray()).toEqual(['[', '/a.mov', '-in', '1', ']']);
    expect(() => appendSource(new RvArgv(), { path: '/a.mov', look_lut: '-x' }, 's')).toThrow();
  });

  it('assertPushSafe refuses quotes everywhere and backslashes off Windows', () => {
    expect(() => assertPushSafe('/a"b', 'f', 'linux')).toThrow();
    expect(() => assertPushSafe('D:\\a"b', 'f', 'windows')).toThrow();
    expect(() => assertPushSafe('/a\\b', 'f', 'darwin')).toThrow();
    expect(() => assertPushSafe('D:\\show\\a.mov', 'f', 'windows')).not.toThrow();
  });
});

describe('helpers', () => {
  it('recognises sequence notation and matches its frames', () => {
    expect(isSequencePattern('/s/sh010.#.exr')).toBe(true);
    expect(isSequencePattern('/s/sh010.%04d.exr')).toBe(true);
    expect(isSequencePattern('/s/st.%V.exr')).toBe(true);
    expect(isSequencePattern('/s/sh010.mov')).toBe(false);
    expect(framePattern('sh010.1001-1100#.exr').test('sh010.1001.exr')).toBe(true);
    expect(framePattern('sh010.@@@@.exr').test('sh010.1001.exr')).toBe(true);
    expect(framePattern('sh010.%04d.exr').test('sh020.1001.exr')).toBe(false);
    expect(framePattern('plate_box#.exr').test('plate_box1001.exr')).toBe(true);
    expect(framePattern('st_%V.%04d.exr').test('st_left.1001.exr')).toBe(true);
  });

  it('reads versions from install folder names', () => {
    expect(versionFromPath('C:\\Program Files\\Autodesk\\RV-2024.1.0\\bin\\rv.exe')).toBe('2024.1.0');
    expect(versionFromPath('/opt/rv-centos7-x86-64-2023.0.1/bin/rv')).toBe('2023.0.1');
    expect(versionFromPath('/Applications/RV-2024.2.1.app/Contents/MacOS/RV')).toBe('2024.2.1');
    expect(versionFromPath('/Applications/RV.app/Contents/MacOS/RV')).toBeNull();
  });
});
