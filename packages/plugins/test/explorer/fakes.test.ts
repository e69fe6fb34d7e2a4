import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { explorerPlugin } from '../../src/explorer/index.js';
import { createFakeDesktop, type FakeDesktop } from './fakes.js';
import { clearDesktopEnv } from './session.js';

// Fakes are separate node processes: give them time to start on a loaded machine.
const POLL = { timeout: 15_000, interval: 50 };

let desk: FakeDesktop;
let folder: string;
let file: string;
const running: AbortController[] = [];

beforeEach(async () => {
  desk = await createFakeDesktop();
  folder = path.join(desk.root, 'show', 'sh010', 'comp');
  await mkdir(folder, { recursive: true });
  file = path.join(folder, "it's a,b.exr");
  await writeFile(file, '');
  clearDesktopEnv();
  // PATH is the fakes alone, so the host's own gdbus or xdg-open can never answer.
  vi.stubEnv('PATH', desk.bin);
  vi.stubEnv('FAKE_ARGV_LOG', desk.log);
});

afterEach(async () => {
  for (const controller of running.splice(0)) controller.abort();
  vi.unstubAllEnvs();
  await desk.cleanup();
});

// A generous grace period: a fake xdg-open that exits at once must never be taken for a foreground one.
const linux = { platform: 'linux' as const, config: { xdg_open_wait_ms: 30_000 } };

describe('Linux open_folder with a fake xdg-open', () => {
  it('opens the folder and reports the command', async () => {
    await desk.install('xdg-open');
    vi.stubEnv('DISPLAY', ':0');
    const rec = await runAction(explorerPlugin, 'open_folder', { ...linux, params: { path: folder } });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      opened: folder,
      requested: folder,
      method: 'xdg-open',
      command: [path.join(desk.bin, 'xdg-open'), folder],
    });
    expect(await desk.calls()).toEqual([expect.objectContaining({ tool: 'xdg-open', argv: [folder] })]);
  });

  it('checks the target first: a missing folder is PATH_NOT_FOUND and nothing starts', async () => {
    await desk.install('xdg-open');
    vi.stubEnv('DISPLAY', ':0');
    const rec = await runAction(explorerPlugin, 'open_folder', {
      ...linux,
      params: { path: path.join(folder, 'nope') },
    });
    expect(rec.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field: 'params.path' } });
    expect(await desk.calls()).toEqual([]);
  });

  it.each([
    [3, ':0', 'PROCESS_FAILED', /no application/],
    [4, ':0', 'PROCESS_FAILED', /exit 4/],
    [3, undefined, 'NO_DESKTOP_SESSION', /desktop session/],
  ])('maps xdg-open exit %i (DISPLAY=%s) to %s', async (exit, display, code, message) => {
    await desk.install('xdg-open');
    vi.stubEnv('DISPLAY', display);
    vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', 'unix:path=/run/user/1000/bus');
    vi.stubEnv('FAKE_XDG_OPEN_EXIT', String(exit));
    const rec = await runAction(explorerPlugin, 'open_folder', { ...linux, params: { path: folder } });
    expect(rec.error).toMatchObject({ code, details: { exitCode: exit } });
    expect(rec.error!.message).toMatch(message);
  });

  it('maps exit 2 (the file vanished before xdg-open looked) to PATH_NOT_FOUND', async () => {
    await desk.install('xdg-open');
    vi.stubEnv('DISPLAY', ':0');
    const gone = path.join(desk.root, 'gone');
    await mkdir(gone);
    const rec = await runAction(explorerPlugin, 'open_folder', {
      ...linux,
      params: { path: gone },
      // The folder disappears between our check and xdg-open's own: the real process then exits 2.
      onRun: async () => {
        await rm(gone, { recursive: true });
        return undefined;
      },
    });
    expect(rec.error).toMatchObject({
      code: 'PATH_NOT_FOUND',
      details: { field: 'params.path', exitCode: 2 },
    });
    expect(rec.error!.details!.stderr).toContain('does not exist');
  });

  it('leaves a foreground xdg-open running (generic mode) and says so', async () => {
    await desk.install('xdg-open');
    vi.stubEnv('DISPLAY', ':0');
    vi.stubEnv('FAKE_XDG_OPEN_SLEEP_MS', '60000');
    const controller = new AbortController();
    running.push(controller);
    const rec = await runAction(explorerPlugin, 'open_folder', {
      ...linux,
      params: { path: folder },
      config: { xdg_open_wait_ms: 200 },
      signal: controller.signal,
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ method: 'xdg-open', still_running: true });
  });

  it('fails with NO_DESKTOP_SESSION, explaining why, when there is no display and no session bus', async () => {
    await desk.install('xdg-open', 'gdbus');
    for (const action of ['open_folder', 'reveal_file']) {
      const rec = await runAction(explorerPlugin, action, { ...linux, params: { path: folder } });
      expect(rec.error).toMatchObject({ code: 'NO_DESKTOP_SESSION' });
      expect(rec.error!.message).toMatch(/artist’s desktop session/);
    }
    expect(await desk.calls()).toEqual([]);
  });

  it('reports a missing xdg-open as APP_NOT_FOUND naming PATH', async () => {
    vi.stubEnv('DISPLAY', ':0');
    const rec = await runAction(explorerPlugin, 'open_folder', { ...linux, params: { path: folder } });
    expect(rec.error).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(rec.error!.message).toContain('xdg-open on PATH');
  });
});

describe('Linux reveal_file', () => {
  beforeEach(() => {
    vi.stubEnv('DISPLAY', ':0');
    vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', 'unix:path=/run/user/1000/bus');
  });

  it('uses gdbus ShowItems when the session bus answers', async () => {
    await desk.install('gdbus', 'dbus-send', 'xdg-open');
    const rec = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ method: 'dbus', revealed: file });
    const calls = await desk.calls();
    expect(calls.map((c) => c.tool)).toEqual(['gdbus']);
    expect(calls[0]!.argv.at(-2)).toBe(
      `['file://${folder.split('/').map(encodeURIComponent).join('/')}/it%27s%20a,b.exr']`,
    );
  });

  it('falls back to the parent folder when gdbus answers ServiceUnknown', async () => {
    await desk.install('gdbus', 'dbus-send', 'xdg-open');
    vi.stubEnv('FAKE_GDBUS_MODE', 'service-unknown');
    const rec = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ method: 'parent-folder', opened: folder, revealed: file });
    expect((rec.result as { fallback_reason: string }).fallback_reason).toMatch(/FileManager1/);
    expect((await desk.calls()).map((c) => [c.tool, c.argv.at(-1)])).toEqual([
      ['gdbus', ''],
      ['xdg-open', folder],
    ]);
  });

  it('uses dbus-send when there is no gdbus, with commas encoded', async () => {
    await desk.install('dbus-send', 'xdg-open');
    const rec = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(rec.result).toMatchObject({ method: 'dbus' });
    const [call] = await desk.calls();
    expect(call!.tool).toBe('dbus-send');
    expect(call!.argv).toContain(
      `array:string:file://${folder.split('/').map(encodeURIComponent).join('/')}/it%27s%20a%2Cb.exr`,
    );
  });

  it('falls back when dbus-send answers ServiceUnknown', async () => {
    await desk.install('dbus-send', 'xdg-open');
    vi.stubEnv('FAKE_DBUS_SEND_MODE', 'service-unknown');
    const rec = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(rec.result).toMatchObject({ method: 'parent-folder', opened: folder });
    expect((await desk.calls()).map((c) => c.tool)).toEqual(['dbus-send', 'xdg-open']);
  });

  it('opens the parent folder when neither D-Bus tool exists, or no session bus is set', async () => {
    await desk.install('xdg-open');
    const noTools = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(noTools.result).toMatchObject({
      method: 'parent-folder',
      fallback_reason: expect.stringMatching(/neither gdbus nor dbus-send/),
    });
    await desk.install('gdbus');
    vi.stubEnv('DBUS_SESSION_BUS_ADDRESS', undefined);
    const noBus = await runAction(explorerPlugin, 'reveal_file', { ...linux, params: { path: file } });
    expect(noBus.result).toMatchObject({
      method: 'parent-folder',
      fallback_reason: 'DBUS_SESSION_BUS_ADDRESS is not set',
    });
    expect((await desk.calls()).map((c) => c.tool)).toEqual(['xdg-open', 'xdg-open']);
  });

  it('is PATH_NOT_FOUND for a missing file, before any tool runs', async () => {
    await desk.install('gdbus', 'xdg-open');
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      ...linux,
      params: { path: path.join(folder, 'missing.exr') },
    });
    expect(rec.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field: 'params.path' } });
    expect(await desk.calls()).toEqual([]);
  });

  it('rethrows a cancellation instead of falling back', async () => {
    await desk.install('gdbus', 'xdg-open');
    const controller = new AbortController();
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      ...linux,
      params: { path: file },
      signal: controller.signal,
      onRun: (call) => {
        if (call.file.endsWith('gdbus')) controller.abort();
        return undefined;
      },
    });
    expect(rec.error).toMatchObject({ code: 'CANCELLED' });
    expect((await desk.calls()).map((c) => c.tool)).not.toContain('xdg-open');
  });
});

describe('macOS and Windows against fakes', () => {
  it('runs a fake open -R and maps its missing-file message', async () => {
    const { open } = await desk.install('open');
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      platform: 'darwin',
      config: { open },
      params: { path: file },
    });
    expect(rec.result).toEqual({ revealed: file, method: 'open', command: [open, '-R', file] });
    expect(await desk.calls()).toEqual([expect.objectContaining({ tool: 'open', argv: ['-R', file] })]);
  });

  it('launches a fake explorer.exe whose exit code 1 is not an error', async () => {
    const { explorer } = await desk.install('explorer');
    const rec = await runAction(explorerPlugin, 'reveal_file', {
      platform: 'windows',
      config: { explorer },
      params: { path: file },
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ method: 'explorer' });
    // On a POSIX host the verbatim flag is ignored, so the fake sees the quotes we put in.
    await expect
      .poll(async () => (await desk.calls())[0]?.argv, POLL)
      .toEqual([`/select,"${file.replace(/\//g, '\\')}"`]);
  });
});

describe('ping', () => {
  it('reports the Linux tools and the session', async () => {
    const { 'xdg-open': xdgOpen, gdbus } = await desk.install('xdg-open', 'gdbus');
    vi.stubEnv('WAYLAND_DISPLAY', 'wayland-0');
    const rec = await runAction(explorerPlugin, 'ping', linux);
    expect(rec.result).toEqual({
      ok: true,
      plugin: 'explorer',
      platform: 'linux',
      available: true,
      app: { path: xdgOpen, version: null, source: 'path' },
      tools: {
        'xdg-open': { path: xdgOpen, source: 'path' },
        gdbus: { path: gdbus, source: 'path' },
        'dbus-send': null,
      },
      session: { display: true, wayland: true, bus: false },
    });
  });

  it('succeeds with available:false and the reason when xdg-open or the session is missing', async () => {
    const missing = await runAction(explorerPlugin, 'ping', linux);
    expect(missing.error).toBeUndefined();
    expect(missing.result).toMatchObject({
      ok: true,
      available: false,
      app: null,
      reason: 'xdg-open was not found',
    });
    expect((missing.result as { searched: string[] }).searched).toContain('xdg-open on PATH');
    await desk.install('xdg-open');
    const headless = await runAction(explorerPlugin, 'ping', linux);
    expect(headless.result).toMatchObject({
      ok: true,
      available: false,
      reason: expect.stringMatching(/DISPLAY/),
    });
  });
});
