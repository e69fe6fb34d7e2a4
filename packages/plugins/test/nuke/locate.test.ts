import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { nukePlugin } from '../../src/nuke/index.js';
import { listNukeFolders, versionFromPath } from '../../src/nuke/install-folders.js';
import { FAKE_NUKE, installFake, installSilentBinary } from './fake-install.js';

let dir: string;
let roots: string[];
// Nothing from the host: no AGENT_NUKE_EXE and a PATH with only node on it.
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: path.dirname(process.execPath),
  ...extra,
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-nuke-find-'));
  roots = [path.join(dir, 'usr-local'), path.join(dir, 'home')];
  await Promise.all(roots.map((root) => mkdir(root, { recursive: true })));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('versioned install folders', () => {
  it('picks the newest version across roots, comparing numbers not text', async () => {
    await installFake(roots[0]!, 'Nuke14.0v6', 'Nuke14.0');
    await installFake(roots[0]!, 'Nuke15.1v3', 'Nuke15.1');
    await installFake(roots[1]!, 'Nuke15.1v10', 'Nuke15.1');
    await installFake(roots[1]!, 'Nuke9.0v8', 'Nuke9.0');
    await mkdir(path.join(roots[0]!, 'Nuke16.0v1-Beta.2'));
    await mkdir(path.join(roots[0]!, 'NukeStudio'));

    const folders = await listNukeFolders(roots, 'linux');
    expect(folders.map((f) => f.version)).toEqual(['15.1v10', '15.1v3', '14.0v6', '9.0v8']);

    const rec = await runAction(nukePlugin, 'ping', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      ok: true,
      plugin: 'nuke',
      available: true,
      app: { path: path.join(roots[1]!, 'Nuke15.1v10', 'Nuke15.1'), version: '15.1v10', source: 'location' },
    });
  });

  it('skips a newer folder whose binary is missing and takes the next one', async () => {
    await mkdir(path.join(roots[0]!, 'Nuke16.0v1'));
    await installFake(roots[0]!, 'Nuke15.1v3', 'Nuke15.1');
    const rec = await runAction(nukePlugin, 'get_info', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({
      app: { path: path.join(roots[0]!, 'Nuke15.1v3', 'Nuke15.1'), version: '15.1v3' },
    });
    expect(rec.whichCalls[0]!.result.searched.slice(0, 2)).toEqual([
      '$AGENT_NUKE_EXE (unset)',
      path.join(roots[0]!, 'Nuke16.0v1', 'Nuke16.0'),
    ]);
  });

  it('finds the binary inside a macOS .app bundle, new and old naming', async () => {
    await installFake(roots[0]!, 'Nuke10.0v3', 'Nuke10.0v3.app/Contents/MacOS/Nuke10.0v3');
    let rec = await runAction(nukePlugin, 'ping', {
      platform: 'darwin',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({
      app: { path: path.join(roots[0]!, 'Nuke10.0v3', 'Nuke10.0v3.app', 'Contents', 'MacOS', 'Nuke10.0v3') },
    });
    await installFake(roots[1]!, 'Nuke15.1v2', 'Nuke15.1v2.app/Contents/MacOS/Nuke15.1');
    rec = await runAction(nukePlugin, 'ping', {
      platform: 'darwin',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({
      app: {
        path: path.join(roots[1]!, 'Nuke15.1v2', 'Nuke15.1v2.app', 'Contents', 'MacOS', 'Nuke15.1'),
        version: '15.1v2',
      },
    });
  });

  it('hands Windows candidates to which newest first with the .exe name', async () => {
    await mkdir(path.join(roots[0]!, 'Nuke14.0v6'));
    await mkdir(path.join(roots[0]!, 'Nuke15.1v3'));
    const rec = await runAction(nukePlugin, 'ping', {
      platform: 'windows',
      config: { install_roots: [roots[0]!] },
      onWhich: (spec) => ({ path: null, source: null, searched: spec.locations ?? [] }),
    });
    const locations = rec.whichCalls[0]!.spec.locations!;
    expect(locations[0]).toMatch(/Nuke15\.1v3\\Nuke15\.1\.exe$/);
    expect(locations[1]).toMatch(/Nuke14\.0v6\\Nuke14\.0\.exe$/);
  });

  it('honours a pinned version and ignores newer installs', async () => {
    await installFake(roots[0]!, 'Nuke15.1v3', 'Nuke15.1');
    await installFake(roots[0]!, 'Nuke14.0v6', 'Nuke14.0');
    await installFake(roots[0]!, 'Nuke14.0v2', 'Nuke14.0');
    const rec = await runAction(nukePlugin, 'get_info', {
      params: { nuke_version: '14.0' },
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({
      app: { path: path.join(roots[0]!, 'Nuke14.0v6', 'Nuke14.0'), version: '14.0v6' },
    });

    const exact = await runAction(nukePlugin, 'get_info', {
      platform: 'linux',
      config: { install_roots: roots, version: '14.0v2' },
      env: cleanEnv(),
    });
    expect(exact.result).toMatchObject({ app: { version: '14.0v2' } });

    const missing = await runAction(nukePlugin, 'get_info', {
      params: { nuke_version: '13.2' },
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(missing.error).toMatchObject({ code: 'APP_NOT_FOUND', details: { version: '13.2' } });
    expect(missing.error?.message).toMatch(/^Nuke 13\.2 was not found/);
  });
});

describe('config path, env var and PATH', () => {
  it('prefers plugin_config.nuke.path, which may name an install folder or a .app bundle', async () => {
    await installFake(roots[0]!, 'Nuke16.0v1', 'Nuke16.0');
    const pinned = await installFake(roots[1]!, 'Nuke14.0v6', 'Nuke14.0');
    let rec = await runAction(nukePlugin, 'ping', {
      platform: 'linux',
      config: { install_roots: roots, path: path.dirname(pinned) },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({ app: { path: pinned, version: '14.0v6', source: 'config' } });

    const bundle = await installFake(roots[1]!, 'Nuke15.1v1', 'Nuke15.1v1.app/Contents/MacOS/Nuke15.1');
    rec = await runAction(nukePlugin, 'ping', {
      platform: 'darwin',
      config: { install_roots: roots, path: path.join(roots[1]!, 'Nuke15.1v1', 'Nuke15.1v1.app') },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({ app: { path: bundle, source: 'config' } });
  });

  it('uses AGENT_NUKE_EXE before the install folders', async () => {
    await installFake(roots[0]!, 'Nuke16.0v1', 'Nuke16.0');
    const chosen = await installFake(roots[1]!, 'Nuke13.2v5', 'Nuke13.2');
    const rec = await runAction(nukePlugin, 'ping', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv({ AGENT_NUKE_EXE: chosen }),
    });
    expect(rec.result).toMatchObject({ app: { path: chosen, version: '13.2v5', source: 'env' } });
  });

  it('falls back to nuke on PATH and asks the binary for its version', async () => {
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    await symlink(FAKE_NUKE, path.join(bin, 'nuke'));
    const rec = await runAction(nukePlugin, 'ping', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv({
        PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}`,
        FAKE_NUKE_VERSION: '14.1v2',
      }),
    });
    expect(rec.result).toMatchObject({
      available: true,
      app: { path: path.join(bin, 'nuke'), version: '14.1v2', source: 'path' },
    });
  });

  it('fails APP_NOT_FOUND listing every place it looked', async () => {
    const rec = await runAction(nukePlugin, 'render_write', {
      params: { script: FAKE_NUKE.replace(/fake-nuke\.mjs$/, 'scripts/comp.nk') },
      platform: 'linux',
      config: { install_roots: roots, path: path.join(dir, 'nowhere', 'Nuke15.1') },
      env: cleanEnv(),
    });
    expect(rec.error?.code).toBe('APP_NOT_FOUND');
    const searched = rec.error?.details?.searched as string[];
    expect(searched).toEqual([
      path.join(dir, 'nowhere', 'Nuke15.1'),
      '$AGENT_NUKE_EXE (unset)',
      path.join(roots[0]!, 'Nuke{M.m}v{p}', 'Nuke{M.m}'),
      path.join(roots[1]!, 'Nuke{M.m}v{p}', 'Nuke{M.m}'),
      'nuke on PATH',
      'Nuke on PATH',
    ]);
    for (const place of searched) expect(rec.error?.message).toContain(place);
    expect(rec.runs).toHaveLength(0);
  });

  it('ping succeeds with available: false and the places searched when Nuke is missing', async () => {
    const rec = await runAction(nukePlugin, 'ping', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ ok: true, available: false, app: null, reason: 'Nuke was not found' });
    expect((rec.result as { searched: string[] }).searched).toContain('$AGENT_NUKE_EXE (unset)');
  });

  it('rejects a malformed plugin config with CONFIG_INVALID naming the key', async () => {
    const rec = await runAction(nukePlugin, 'get_info', {
      platform: 'linux',
      config: { install_roots: '/opt' },
    });
    expect(rec.error).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'plugin_config.nuke.install_roots' },
    });
  });
});

describe('version', () => {
  it('falls back to the install folder name when --version prints no banner', async () => {
    const binary = path.join(roots[0]!, 'Nuke14.0v6', 'Nuke14.0');
    await installSilentBinary(binary);
    const rec = await runAction(nukePlugin, 'get_info', {
      platform: 'linux',
      config: { install_roots: roots },
      env: cleanEnv(),
    });
    expect(rec.result).toMatchObject({ app: { path: binary, version: '14.0v6' }, version_source: 'path' });
    expect((rec.result as { version_note: string }).version_note).toMatch(/no version banner/);
  });

  it.each([
    ['/usr/local/Nuke15.1v3/Nuke15.1', '15.1v3'],
    ['C:\\Program Files\\Nuke13.2v5\\Nuke13.2.exe', '13.2v5'],
    ['/Applications/Nuke15.1v2/Nuke15.1v2.app/Contents/MacOS/Nuke15.1', '15.1v2'],
    ['/opt/bin/Nuke14.0', '14.0'],
    ['/usr/bin/nuke', null],
  ])('reads the version %s names as %s', (file, version) => {
    expect(versionFromPath(file)).toBe(version);
  });
});
