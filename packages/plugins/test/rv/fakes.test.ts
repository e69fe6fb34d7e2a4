import { writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { rvPlugin } from '../../src/rv/index.js';
import { createFakeRvInstall, type FakeRvInstall } from './fakes.js';
import { createMedia, type Media } from './media.js';

// Fakes are separate node processes: give them time to start on a loaded machine.
const POLL = { timeout: 15_000, interval: 50 };

let install: FakeRvInstall;
let media: Media;

beforeEach(async () => {
  install = await createFakeRvInstall();
  media = await createMedia();
  // Port files go to a private tmp; PATH holds nothing, so only config/env can find the fakes.
  vi.stubEnv('TMPDIR', install.tmp);
  vi.stubEnv('FAKE_ARGV_LOG', install.log);
  vi.stubEnv('PATH', path.join(install.root, 'empty'));
  vi.stubEnv('AGENT_RV_EXE', undefined);
  vi.stubEnv('AGENT_RVPUSH_EXE', undefined);
  vi.stubEnv('RVPUSH_RV_EXECUTABLE_PATH', undefined);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await install.cleanup();
  await media.cleanup();
});

const players = async () => (await install.calls()).filter((c) => c.tool === 'rv');
const sessions = async () => (await install.calls()).filter((c) => c.tool === 'rv-session');
const linux = (config: Record<string, unknown>) => ({ platform: 'linux' as const, config });

describe('a fake rv, launched detached', () => {
  it('gets exactly our argv and keeps running after the action returns', async () => {
    const rec = await runAction(rvPlugin, 'open_sources', {
      ...linux({ path: install.rv }),
      params: {
        sources: [{ path: path.join(media.plates, 'sh010.1001-1003#.exr'), in: 1001, out: 1002 }, media.movA],
        play: true,
        compare: 'wipe',
      },
    });
    expect(rec.error).toBeUndefined();
    const pid = (rec.result as { pid: number }).pid;
    await expect.poll(players, POLL).toHaveLength(1);
    const [player] = await players();
    expect(player!.pid).toBe(pid);
    expect(player!.argv).toEqual([
      '-play',
      '-wipe',
      '[',
      path.join(media.plates, 'sh010.1001-1003#.exr'),
      '-in',
      '1001',
      '-out',
      '1002',
      ']',
      media.movA,
    ]);
    expect(() => process.kill(pid, 0)).not.toThrow();
  });

  it('is found through $AGENT_RV_EXE, and opens a session', async () => {
    vi.stubEnv('AGENT_RV_EXE', install.rv);
    const rec = await runAction(rvPlugin, 'open_session', {
      platform: 'linux',
      params: { session_file: media.session, tag: 'dailies' },
    });
    expect(rec.result).toMatchObject({
      method: 'launched',
      started_new: true,
      tag: 'dailies',
      command: [install.rv, '-networkTag', 'dailies', '-network', media.session],
    });
    await expect
      .poll(players, POLL)
      .toEqual([expect.objectContaining({ argv: ['-networkTag', 'dailies', '-network', media.session] })]);
  });

  it('fails with APP_NOT_FOUND naming every place looked, and starts nothing', async () => {
    const rec = await runAction(rvPlugin, 'open_sources', {
      platform: 'linux',
      params: { sources: [media.movA] },
    });
    expect(rec.error).toMatchObject({ code: 'APP_NOT_FOUND', details: { app: 'rv' } });
    expect(rec.error!.message).toContain('$AGENT_RV_EXE (unset)');
    expect(rec.error!.message).toContain('/opt/rv-*/bin/rv');
    expect(rec.error!.message).toContain('rv on PATH');
    expect(await install.calls()).toEqual([]);
  });

  it('explains a Linux wrapper whose interpreter (tcsh) is missing', async () => {
    const wrapper = path.join(install.root, 'rv-wrapper');
    await writeFile(wrapper, '#!/nonexistent/bin/tcsh -f\nexec rv.bin $*\n');
    await chmod(wrapper, 0o755);
    const rec = await runAction(rvPlugin, 'open_sources', {
      ...linux({ path: wrapper }),
      params: { sources: [media.movA] },
    });
    expect(rec.error).toMatchObject({ code: 'APP_NOT_EXECUTABLE' });
    expect(rec.error!.message).toMatch(
      /\/nonexistent\/bin\/tcsh, which is not installed \(install the tcsh package\)/,
    );
    const ping = await runAction(rvPlugin, 'ping', linux({ path: wrapper }));
    expect(ping.result).toMatchObject({ ok: true, available: false, reason: expect.stringMatching(/tcsh/) });
  });
});

describe('pushing into a running RV with a fake rvpush', () => {
  it('starts a new RV when none answers (exit 15), then merges into it (exit 0) and sends play', async () => {
    const config = linux({ path: install.rv });
    const first = await runAction(rvPlugin, 'open_sources', {
      ...config,
      params: { sources: [media.movA], mode: 'set', tag: 'ws042', play: true },
    });
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ method: 'rvpush', started_new: true, follow_up: { sent: false } });
    // rvpush (found beside rv) started that rv, as RvPusher does: -networkTag T -network <media>.
    await expect
      .poll(players, POLL)
      .toEqual([expect.objectContaining({ argv: ['-networkTag', 'ws042', '-network', media.movA] })]);
    await expect
      .poll(async () => (await runAction(rvPlugin, 'ping', config)).result, POLL)
      .toMatchObject({ running: [expect.objectContaining({ tag: 'ws042' })] });

    const second = await runAction(rvPlugin, 'open_sources', {
      ...config,
      params: {
        sources: [{ path: media.movB, in: 1001, out: 1010 }],
        mode: 'merge',
        tag: 'ws042',
        play: true,
      },
    });
    expect(second.error).toBeUndefined();
    expect(second.result).toMatchObject({ method: 'rvpush', started_new: false, follow_up: { sent: true } });
    const messages = (await sessions()).map((s) => s.message);
    expect(messages).toEqual([
      {
        event: 'remote-eval',
        payload: `{ addSources(string[] {"[", "${media.movB}", "+in", "1001", "+out", "1010", "]"}, "rvpush", false, true); mainWindowWidget().raise(); }`,
      },
      { event: 'remote-pyexec', payload: 'from rv import commands; commands.play() ' },
    ]);
    expect(await players()).toHaveLength(1);
  });

  it('answers RV_UNREACHABLE (exit 11) when none runs and starting one is not allowed', async () => {
    const rec = await runAction(rvPlugin, 'open_sources', {
      ...linux({ path: install.rv }),
      params: { sources: [media.movA], mode: 'merge', tag: 'nobody', start_if_needed: false },
    });
    expect(rec.error).toMatchObject({
      code: 'RV_UNREACHABLE',
      details: { exitCode: 11, stderr: 'ERROR: cannot connect to any running RV' },
    });
    expect(await players()).toEqual([]);
  });

  it('answers RV_UNREACHABLE (exit 4) when the connection to the RV fails', async () => {
    const config = linux({ path: install.rv });
    await runAction(rvPlugin, 'open_sources', { ...config, params: { sources: [media.movA], tag: 'flaky' } });
    await expect
      .poll(async () => (await runAction(rvPlugin, 'ping', config)).result, POLL)
      .toMatchObject({ running: [expect.objectContaining({ tag: 'flaky' })] });
    vi.stubEnv('FAKE_RVPUSH_EXIT', '4');
    const rec = await runAction(rvPlugin, 'open_sources', {
      ...config,
      params: { sources: [media.movB], mode: 'merge', tag: 'flaky' },
    });
    expect(rec.error).toMatchObject({ code: 'RV_UNREACHABLE', details: { exitCode: 4 } });
  });

  it('finds rvpush through $AGENT_RVPUSH_EXE and only the RV with the matching tag answers', async () => {
    const config = linux({ path: install.rv });
    await runAction(rvPlugin, 'open_sources', { ...config, params: { sources: [media.movA], tag: 'other' } });
    await expect
      .poll(
        async () => ((await runAction(rvPlugin, 'ping', config)).result as { running: unknown[] }).running,
        POLL,
      )
      .toHaveLength(1);
    vi.stubEnv('AGENT_RVPUSH_EXE', install.rvpush);
    const rec = await runAction(rvPlugin, 'open_sources', {
      platform: 'linux',
      params: { sources: [media.movB], mode: 'merge', tag: 'mine' },
    });
    // No rv found by the plugin, so rvpush falls back to the rv beside it: a second player, tagged "mine".
    expect(rec.result).toMatchObject({
      started_new: true,
      command: [install.rvpush, '-tag', 'mine', 'merge', media.movB],
    });
    await expect.poll(async () => (await players()).map((p) => p.argv![1]), POLL).toEqual(['other', 'mine']);
    expect(await sessions()).toEqual([]);
  });
});

describe('ping', () => {
  it('reports rv with its version, rvpush beside it, and no running RVs', async () => {
    vi.stubEnv('FAKE_RV_VERSION', '2.1.0');
    const rec = await runAction(rvPlugin, 'ping', linux({ path: install.rv }));
    expect(rec.result).toEqual({
      ok: true,
      plugin: 'rv',
      platform: 'linux',
      available: true,
      app: { path: install.rv, version: '2.1.0', source: 'config', version_from: 'rv -version' },
      rvpush: { path: install.rvpush, source: 'location' },
      running: [],
    });
  });

  it('falls back to the folder name when rv -version hangs, within its own time limit', async () => {
    const hanging = path.join(install.bin, 'rv-hangs');
    await writeFile(hanging, `#!${process.execPath}\nsetInterval(() => {}, 1000);\n`);
    await chmod(hanging, 0o755);
    const rec = await runAction(rvPlugin, 'ping', linux({ path: hanging, version_timeout_ms: 300 }));
    expect(rec.result).toMatchObject({
      available: true,
      app: {
        version: '2024.1.0',
        version_from: 'folder name',
        version_error: expect.stringMatching(/^TIMEOUT/),
      },
    });
  });

  it('succeeds with available:false and the places searched when rv is missing', async () => {
    const rec = await runAction(rvPlugin, 'ping', { platform: 'linux' });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      ok: true,
      available: false,
      app: null,
      rvpush: null,
      reason: 'rv was not found',
    });
    expect((rec.result as { searched: string[] }).searched).toContain('$AGENT_RV_EXE (unset)');
  });
});
