import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WhichSpec } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { explorerPlugin } from '../../src/explorer/index.js';
import { dbusSendShowItemsArgs, fileUri, gdbusShowItemsArgs } from '../../src/explorer/file-manager-dbus.js';
import { explorerRevealCommand, toExplorerPath } from '../../src/explorer/windows.js';
import { clearDesktopEnv } from './session.js';

let root: string;
let folder: string;
let file: string;

const found = (file: string) => (spec: WhichSpec) => ({
  path: spec.configPath ?? file,
  source: 'location' as const,
  searched: [file],
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'openclaw-explorer-cmd-'));
  folder = path.join(root, 'sh010', 'comp');
  await mkdir(folder, { recursive: true });
  file = path.join(folder, 'a b.exr');
  await writeFile(file, '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  clearDesktopEnv();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Windows command shapes', () => {
  it('opens a folder with %SystemRoot%\\explorer.exe and a backslashed path', async () => {
    vi.stubEnv('SystemRoot', 'E:\\Win');
    const rec = await runAction(explorerPlugin, 'open_folder', {
      params: { path: folder },
      platform: 'windows',
      onWhich: (spec) => ({ path: spec.locations![0]!, source: 'location', searched: spec.locations! }),
      onLaunch: () => ({ pid: 1 }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.whichCalls[0]!.spec.locations).toEqual(['E:\\Win\\explorer.exe']);
    expect(rec.launches).toHaveLength(1);
    expect(rec.launches[0]!.file).toBe('E:\\Win\\explorer.exe');
    expect(rec.launches[0]!.args).toEqual([folder.replace(/\//g, '\\')]);
    expect(rec.launches[0]!.options.windowsVerbatimArguments).toBeUndefined();
    expect(rec.runs).toHaveLength(0);
    expect(rec.result).toMatchObject({ method: 'explorer', opened: folder });
  });

  it('reveals with ONE verbatim argument /select,"<path>"', async () => {
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      params: { path: file },
      platform: 'windows',
      onWhich: found('C:\\Windows\\explorer.exe'),
      onLaunch: () => ({ pid: 1 }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.launches[0]!.file).toBe('C:\\Windows\\explorer.exe');
    expect(rec.launches[0]!.args).toEqual([`/select,"${file.replace(/\//g, '\\')}"`]);
    expect(rec.launches[0]!.options).toEqual({ windowsVerbatimArguments: true });
    expect(rec.result).toEqual({
      revealed: file,
      method: 'explorer',
      command: ['C:\\Windows\\explorer.exe', `/select,"${file.replace(/\//g, '\\')}"`],
    });
  });

  it('normalises slashes, strips a trailing backslash and keeps drive roots and UNC paths', () => {
    expect(toExplorerPath('D:/show/sh010/comp/', 'params.path')).toBe('D:\\show\\sh010\\comp');
    expect(toExplorerPath('D:\\show\\a b.exr', 'params.path')).toBe('D:\\show\\a b.exr');
    expect(toExplorerPath('\\\\fs01\\show\\sh010\\', 'params.path')).toBe('\\\\fs01\\show\\sh010');
    expect(toExplorerPath('D:\\', 'params.path')).toBe('D:\\');
    expect(explorerRevealCommand('D:/show/a b.exr', 'params.path')).toEqual({
      args: ['/select,"D:\\show\\a b.exr"'],
      verbatim: true,
    });
    expect(explorerRevealCommand('D:\\', 'params.path')).toEqual({ args: ['D:\\'], verbatim: false });
  });

  it('rejects a path holding a double quote before starting anything', async () => {
    expect(() => toExplorerPath('D:\\a"b', 'params.path')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMS' }),
    );
    const quoted = path.join(root, 'q"uote');
    await writeFile(quoted, '');
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      params: { path: quoted },
      platform: 'windows',
      onWhich: found('C:\\Windows\\explorer.exe'),
      onLaunch: () => ({ pid: 1 }),
    });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.path' } });
    expect(rec.launches).toHaveLength(0);
  });

  it('counts only spawn failures: APP_NOT_FOUND when explorer.exe is missing', async () => {
    const rec = await runAction(explorerPlugin, 'open_folder', {
      params: { path: folder },
      platform: 'windows',
      onWhich: (spec) => ({ path: null, source: null, searched: spec.locations! }),
    });
    expect(rec.error).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(rec.error!.message).toContain('explorer.exe');
  });
});

describe('macOS command shapes', () => {
  it('runs /usr/bin/open <folder> and /usr/bin/open -R <file>', async () => {
    const onWhich = (spec: WhichSpec) => ({
      path: spec.locations![0]!,
      source: 'location' as const,
      searched: [],
    });
    const opened = await runAction(explorerPlugin, 'open_folder', {
      params: { path: folder },
      platform: 'darwin',
      onWhich,
      onRun: () => ({}),
    });
    expect(opened.runs.map((r) => [r.file, ...r.args])).toEqual([['/usr/bin/open', folder]]);
    expect(opened.result).toMatchObject({ method: 'open', opened: folder });
    const revealed = await runAction(explorerPlugin, 'reveal_file', {
      params: { path: file },
      platform: 'darwin',
      onWhich,
      onRun: () => ({}),
    });
    expect(revealed.runs.map((r) => [r.file, ...r.args])).toEqual([['/usr/bin/open', '-R', file]]);
    expect(revealed.result).toMatchObject({ method: 'open', revealed: file });
  });

  it('turns a non-zero exit into PROCESS_FAILED with open’s stderr', async () => {
    const rec = await runAction(explorerPlugin, 'open_folder', {
      params: { path: folder },
      platform: 'darwin',
      onWhich: found('/usr/bin/open'),
      onRun: () => ({ exitCode: 1, stderr: 'LSOpenURLsWithRole() failed with error -10814' }),
    });
    expect(rec.error).toMatchObject({ code: 'PROCESS_FAILED', details: { exitCode: 1 } });
    expect(rec.error!.message).toContain('-10814');
  });
});

describe('Linux command shapes', () => {
  it('opens with xdg-open <folder>', async () => {
    vi.stubEnv('DISPLAY', ':0');
    const rec = await runAction(explorerPlugin, 'open_folder', {
      params: { path: folder },
      platform: 'linux',
      onWhich: found('/usr/bin/xdg-open'),
      onRun: () => ({}),
    });
    expect(rec.runs.map((r) => [r.file, ...r.args])).toEqual([['/usr/bin/xdg-open', folder]]);
    expect(rec.result).toEqual({
      opened: folder,
      requested: folder,
      method: 'xdg-open',
      command: ['/usr/bin/xdg-open', folder],
    });
  });

  it('opens the folder holding a file rather than the file itself, or fails with if_file: error', async () => {
    vi.stubEnv('DISPLAY', ':0');
    const rec = await runAction(explorerPlugin, 'open_folder', {
      params: { path: file },
      platform: 'linux',
      onWhich: found('/usr/bin/xdg-open'),
      onRun: () => ({}),
    });
    expect(rec.runs[0]!.args).toEqual([folder]);
    expect(rec.result).toMatchObject({ opened: folder, requested: file });
    const strict = await runAction(explorerPlugin, 'open_folder', {
      params: { path: file, if_file: 'error' },
      platform: 'linux',
      onWhich: found('/usr/bin/xdg-open'),
      onRun: () => ({}),
    });
    expect(strict.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.path' } });
    expect(strict.runs).toHaveLength(0);
  });

  it('calls FileManager1.ShowItems through gdbus with a percent-encoded URI', async () => {
    vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', 'unix:path=/run/user/1000/bus');
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      params: { path: file },
      platform: 'linux',
      onWhich: (spec) => ({ path: `/usr/bin/${spec.names[0]!}`, source: 'path', searched: [] }),
      onRun: () => ({ stdout: '()\n' }),
    });
    const uri = `file://${file.split('/').map(encodeURIComponent).join('/')}`;
    expect(rec.runs.map((r) => [r.file, ...r.args])).toEqual([
      [
        '/usr/bin/gdbus',
        'call',
        '--session',
        '--dest',
        'org.freedesktop.FileManager1',
        '--object-path',
        '/org/freedesktop/FileManager1',
        '--method',
        'org.freedesktop.FileManager1.ShowItems',
        `['${uri}']`,
        '',
      ],
    ]);
    expect(rec.result).toMatchObject({ method: 'dbus', revealed: file });
  });

  it('encodes quotes for the GVariant literal and commas for dbus-send', () => {
    expect(fileUri("/show/it's a,b.exr")).toBe('file:///show/it%27s%20a,b.exr');
    expect(gdbusShowItemsArgs("/show/it's.exr").at(-2)).toBe("['file:///show/it%27s.exr']");
    expect(dbusSendShowItemsArgs('/show/a,b.exr')).toEqual([
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.FileManager1',
      '--type=method_call',
      '/org/freedesktop/FileManager1',
      'org.freedesktop.FileManager1.ShowItems',
      'array:string:file:///show/a%2Cb.exr',
      'string:',
    ]);
  });
});
