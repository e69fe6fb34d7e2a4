import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { resolvePlugin } from '../../src/resolve/index.js';
import { FakeResolve, PYTHON, emptyProject } from './fake-resolve.js';

let fake: FakeResolve;
let resolveProcess: ChildProcess | undefined;

beforeEach(() => {
  fake = new FakeResolve();
});
afterEach(async () => {
  const child = resolveProcess;
  resolveProcess = undefined;
  if (child && child.exitCode === null && child.signalCode === null) {
    // Wait until it is reaped, so a later test's process check cannot still see it.
    await new Promise((resolve) => child.once('exit', resolve).kill('SIGKILL'));
  }
  fake.cleanup();
});

const run = (
  action: string,
  config: Record<string, unknown> = {},
  extra: Parameters<typeof runAction>[2] = {},
) =>
  runAction(resolvePlugin, action, {
    platform: 'linux',
    config: fake.config(config),
    env: fake.env(),
    ...extra,
  });

/** A real process whose name is `resolve`, as /opt/resolve/bin/resolve would show in the process table. */
async function startProcessNamedResolve(): Promise<void> {
  const binary = path.join(fake.dir, 'bin', 'resolve');
  mkdirSync(path.dirname(binary));
  copyFileSync('/bin/sleep', binary);
  const child = spawn(binary, ['60'], { stdio: 'ignore' });
  resolveProcess = child;
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
}

async function waitUntilGone(pid: number): Promise<boolean> {
  // 10 s: the runtime's SIGTERM is followed by SIGKILL after 3 s, and a loaded machine (the full
  // suite on two cores) can take seconds more to deliver and reap it; 5 s failed once there.
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('resolve failure codes', () => {
  it('reports RESOLVE_MODULE_NOT_FOUND when the Modules folder has no DaVinciResolveScript', async () => {
    const rec = await run('get_current_project', { script_api: fake.dir });
    expect(rec.error).toMatchObject({
      code: 'RESOLVE_MODULE_NOT_FOUND',
      details: { script_api: fake.dir, python: PYTHON },
    });
    expect(rec.error?.message).toContain('DaVinciResolveScript');
  });

  it('reports RESOLVE_MODULE_NOT_FOUND when fusionscript cannot be loaded', async () => {
    const rec = await run('get_current_project', { script_lib: path.join(fake.dir, 'nope.so') });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_MODULE_NOT_FOUND' });
    expect(rec.error?.message).toContain('Could not locate module dependencies');
  });

  it('reports RESOLVE_NOT_RUNNING when scriptapp is None and no Resolve process exists', async () => {
    fake.write({ running: false, project: emptyProject() });
    const rec = await run('get_current_project');
    expect(rec.error).toMatchObject({ code: 'RESOLVE_NOT_RUNNING', details: { running: false } });
    expect(rec.runs.map((r) => [r.file, ...r.args])).toContainEqual(['pgrep', '-x', 'resolve']);
  });

  it('tells not-running from unreachable through /proc when pgrep is missing', async () => {
    fake.write({ running: false, project: emptyProject() });
    const env = fake.env({ PATH: fake.dir });
    const notRunning = await run('get_current_project', {}, { env });
    expect(notRunning.error).toMatchObject({ code: 'RESOLVE_NOT_RUNNING' });
    await startProcessNamedResolve();
    const unreachable = await run('get_current_project', {}, { env });
    expect(unreachable.error).toMatchObject({ code: 'RESOLVE_UNREACHABLE', details: { running: true } });
  });

  it('reports RESOLVE_UNREACHABLE when Resolve runs but external scripting is off', async () => {
    await startProcessNamedResolve();
    fake.write({ external_scripting: 'none', project: emptyProject() });
    const rec = await run('add_to_media_pool', {}, { params: { files: [fake.media('a.mov')] } });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_UNREACHABLE', details: { running: true } });
    expect(rec.error?.message).toContain('External scripting');
  });

  it('reports RESOLVE_UNREACHABLE without looking at processes when process_check is off', async () => {
    fake.write({ running: false, project: emptyProject() });
    const rec = await run('get_current_project', { process_check: false });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_UNREACHABLE' });
    expect(rec.runs).toHaveLength(1);
  });

  it('kills the bridge when it does not answer in time and reports TIMEOUT', async () => {
    const pidFile = path.join(fake.dir, 'bridge.pid');
    fake.write({ startup_delay: 60, pid_file: pidFile, project: emptyProject() });
    const rec = await run('get_current_project', { timeout_seconds: 1.5 });
    expect(rec.error).toMatchObject({ code: 'TIMEOUT', details: { timeout_seconds: 1.5 } });
    expect(rec.error?.message).toContain('was killed');
    expect(existsSync(pidFile)).toBe(true);
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('kills the bridge when the job is cancelled', { timeout: 40_000 }, async () => {
    const pidFile = path.join(fake.dir, 'bridge.pid');
    fake.write({ startup_delay: 60, pid_file: pidFile, project: emptyProject() });
    const controller = new AbortController();
    const pending = run('get_current_project', {}, { signal: controller.signal });
    // Up to 15 s for Python to start and write it: the full suite on two cores once failed this test
    // in a fresh clone (cause not kept; 5 s was the wait then), and a cancel before the pid is known
    // would test nothing.
    for (let i = 0; i < 600 && !existsSync(pidFile); i += 1) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(pidFile), 'the bridge wrote its pid file').toBe(true);
    controller.abort();
    const rec = await pending;
    expect(rec.error?.code).toBe('CANCELLED');
    expect(await waitUntilGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('reports RESOLVE_BRIDGE_FAILED when the interpreter prints no answer', async () => {
    const notPython = fake.executable('python3', '#!/bin/sh\necho "Python 2.7.18 says hello" >&2\nexit 1\n');
    const rec = await run('get_current_project', { python: notPython });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_BRIDGE_FAILED', details: { exit_code: 1 } });
    expect(rec.error?.details?.stderr).toContain('Python 2.7.18');
  });

  it('reports APP_NOT_FOUND naming where Python was looked for', async () => {
    const config = fake.config();
    delete config.python;
    const rec = await runAction(resolvePlugin, 'get_current_project', {
      platform: 'linux',
      config,
      env: { PATH: fake.dir },
    });
    expect(rec.error).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(rec.error?.details?.searched).toEqual(
      expect.arrayContaining([
        '$AGENT_RESOLVE_PYTHON (unset)',
        '/opt/resolve/bin/ResolvePython',
        'python3 on PATH',
      ]),
    );
  });

  it('uses AGENT_RESOLVE_PYTHON when no python is configured', async () => {
    const config = fake.config();
    delete config.python;
    const rec = await runAction(resolvePlugin, 'get_current_project', {
      platform: 'linux',
      config,
      env: fake.env({ AGENT_RESOLVE_PYTHON: PYTHON, PATH: fake.dir }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.runs[0]!.file).toBe(PYTHON);
  });

  it('honours RESOLVE_SCRIPT_API and RESOLVE_SCRIPT_LIB already set in the environment', async () => {
    const { python } = fake.config();
    const rec = await runAction(resolvePlugin, 'get_current_project', {
      platform: 'linux',
      config: { python },
      env: fake.env({
        RESOLVE_SCRIPT_API: fake.config().script_api as string,
        RESOLVE_SCRIPT_LIB: fake.libPath,
      }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ project: 'sh010 conform' });
  });

  it('reports CONFIG_INVALID for a configured python that is not executable, and for unknown keys', async () => {
    const missing = await run('get_current_project', { python: path.join(fake.dir, 'no-python') });
    expect(missing.error).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'plugin_config.resolve.python' },
    });
    const unknown = await run('get_current_project', { pyhton: '/usr/bin/python3' });
    expect(unknown.error).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'plugin_config.resolve.pyhton' },
    });
    const badTimeout = await run('get_current_project', { timeout_seconds: '10' });
    expect(badTimeout.error).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'plugin_config.resolve.timeout_seconds' },
    });
  });
});

describe('resolve.ping', () => {
  it('is available when the bridge reaches Resolve, reporting app, python and versions', async () => {
    const exe = fake.executable('resolve');
    const rec = await run('ping', { path: exe });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      ok: true,
      plugin: 'resolve',
      platform: 'linux',
      available: true,
      running: true,
      product: 'DaVinci Resolve Studio',
      app: { path: exe, version: '19.1.4.11', source: 'config' },
      python: { path: PYTHON, version: expect.stringMatching(/^3\.\d+\.\d+$/), source: 'config' },
    });
  });

  it('is unavailable, not failing, when Resolve is neither installed nor running', async () => {
    fake.write({ running: false, project: emptyProject() });
    const env = fake.env({ PATH: `${fake.dir}:/usr/bin:/bin` });
    const rec = await runAction(resolvePlugin, 'ping', { platform: 'linux', config: fake.config(), env });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      ok: true,
      available: false,
      app: null,
      running: false,
      code: 'RESOLVE_NOT_RUNNING',
    });
    expect((rec.result as { reason: string }).reason).toMatch(
      /^DaVinci Resolve was not found \(looked in: .*\/opt\/resolve\/bin\/resolve/,
    );
    expect((rec.result as { searched: string[] }).searched).toContain('$AGENT_RESOLVE_EXE (unset)');
  });

  it('is unavailable when no Python can be found, and when the config is invalid', async () => {
    const noPython = await runAction(resolvePlugin, 'ping', {
      platform: 'linux',
      config: {},
      env: { PATH: fake.dir },
    });
    expect(noPython.result).toMatchObject({
      ok: true,
      available: false,
      python: null,
      code: 'APP_NOT_FOUND',
    });
    const badConfig = await run('ping', { timeout_seconds: -1 });
    expect(badConfig.result).toMatchObject({ ok: true, available: false, code: 'CONFIG_INVALID' });
  });
});
