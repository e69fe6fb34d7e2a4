import { mkdtemp, mkdir, rm, writeFile, chmod, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenClawError, type OpenClawError } from '@openclaw-node/core';
import { compareNewestFirst, createProcessRuntime } from '../src/runtime/index.js';

let dir: string;
const env = { ...process.env };

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/usr/bin/env node\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-runtime-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run', () => {
  it('captures output, streams lines and reports the exit code', async () => {
    const file = await script(
      'echo.js',
      `console.log('a'); console.log(JSON.stringify(process.argv.slice(2))); console.error('warn'); process.exit(3);`,
    );
    const lines: string[] = [];
    const runtime = createProcessRuntime({
      signal: new AbortController().signal,
      platform: 'linux',
      env,
      onOutput: (s, l) => lines.push(`${s}:${l}`),
    });
    const result = await runtime.run(file, ['x y', '$(id)', '; rm -rf ~']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toContain('["x y","$(id)","; rm -rf ~"]');
    expect(lines).toContain('stdout:a');
    expect(lines).toContain('stderr:warn');
  });

  it('keeps only the tail of large output', async () => {
    const file = await script('big.js', `process.stdout.write('x'.repeat(50000) + 'END');`);
    const runtime = createProcessRuntime({ signal: new AbortController().signal, platform: 'linux', env });
    const result = await runtime.run(file, [], { maxOutputBytes: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThanOrEqual(1000);
    expect(result.stdout.endsWith('END')).toBe(true);
  });

  it('kills the whole process tree on abort and rethrows the abort reason', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const file = await script(
      'tree.js',
      `const { spawn } = require('node:child_process');
       const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
       setInterval(() => {}, 1000);`,
    );
    const controller = new AbortController();
    const runtime = createProcessRuntime({ signal: controller.signal, platform: 'linux', env });
    const running = runtime.run(process.execPath, [file]);
    await waitFor(async () => (await readFile(pidFile, 'utf8').catch(() => '')).length > 0);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(grandchild)).toBe(true);
    const reason = Object.assign(new Error('cancelled by test'), { code: 'CANCELLED' });
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor(() => !isAlive(grandchild));
  });

  it('throws TIMEOUT when its own timeout passes', async () => {
    const file = await script('sleep.js', `setTimeout(() => {}, 60000);`);
    const runtime = createProcessRuntime({ signal: new AbortController().signal, platform: 'linux', env });
    const error = (await runtime.run(file, [], { timeoutMs: 200 }).catch((e: unknown) => e)) as OpenClawError;
    expect(isOpenClawError(error)).toBe(true);
    expect(error.code).toBe('TIMEOUT');
  });

  it('maps a missing executable to APP_NOT_FOUND and a non-executable one to APP_NOT_EXECUTABLE', async () => {
    const runtime = createProcessRuntime({ signal: new AbortController().signal, platform: 'linux', env });
    await expect(runtime.run(path.join(dir, 'missing'), [])).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    const plain = path.join(dir, 'plain.txt');
    await writeFile(plain, 'not a program');
    await expect(runtime.run(plain, [])).rejects.toMatchObject({ code: 'APP_NOT_EXECUTABLE' });
  });
});

describe('launch', () => {
  it('returns once the program has spawned and reports spawn failures', async () => {
    const marker = path.join(dir, 'launched.txt');
    const file = await script(
      'gui.js',
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, JSON.stringify(process.argv.slice(2)));`,
    );
    const runtime = createProcessRuntime({ signal: new AbortController().signal, platform: 'linux', env });
    const launched = await runtime.launch(file, ['/show/a b.exr']);
    expect(launched.pid).toBeGreaterThan(0);
    await waitFor(async () => (await readFile(marker, 'utf8').catch(() => '')).length > 0);
    expect(JSON.parse(await readFile(marker, 'utf8'))).toEqual(['/show/a b.exr']);
    await expect(runtime.launch(path.join(dir, 'nope'), [])).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});

describe('which', () => {
  it('looks in config, env, versioned install folders (newest first), then PATH, recording each place', async () => {
    const root = path.join(dir, 'apps');
    for (const v of ['Nuke14.0v6', 'Nuke15.1v3', 'Nuke9.0v1']) {
      await mkdir(path.join(root, v), { recursive: true });
      await writeFile(path.join(root, v, 'nuke'), '#!/bin/sh\n');
      await chmod(path.join(root, v, 'nuke'), 0o755);
    }
    const runtime = createProcessRuntime({
      signal: new AbortController().signal,
      platform: 'linux',
      env: { PATH: dir },
    });
    const found = await runtime.which({
      names: ['nuke'],
      configPath: '/nowhere/nuke',
      envVars: ['AGENT_NUKE_EXE'],
      locations: [path.join(root, 'Nuke*', 'nuke')],
    });
    expect(found.path).toBe(path.join(root, 'Nuke15.1v3', 'nuke'));
    expect(found.source).toBe('location');
    expect(found.searched.slice(0, 2)).toEqual(['/nowhere/nuke', '$AGENT_NUKE_EXE (unset)']);

    const missing = await runtime.which({ names: ['rv'], locations: ['/opt/rv-*/bin/rv'] });
    expect(missing.path).toBeNull();
    expect(missing.searched).toEqual(['/opt/rv-*/bin/rv', 'rv on PATH']);
  });

  it('finds a program on PATH', async () => {
    await script('fakeapp', '');
    const runtime = createProcessRuntime({
      signal: new AbortController().signal,
      platform: 'linux',
      env: { PATH: `/nonexistent:${dir}` },
    });
    await expect(runtime.which({ names: ['fakeapp'] })).resolves.toMatchObject({
      path: path.join(dir, 'fakeapp'),
      source: 'path',
    });
  });
});

describe('compareNewestFirst', () => {
  it('orders version folders newest first', () => {
    expect(['Nuke14.0v6', 'Nuke15.1v3', 'Nuke15.1v10', 'Nuke9.0v1'].sort(compareNewestFirst)).toEqual([
      'Nuke15.1v10',
      'Nuke15.1v3',
      'Nuke14.0v6',
      'Nuke9.0v1',
    ]);
  });
});
