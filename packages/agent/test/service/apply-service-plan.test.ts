import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import {
  applyServicePlan,
  describeServicePlan,
  planServiceInstall,
  runServiceCommand,
  type ServicePlan,
} from '../../src/service/index.js';
import { recordingRunner } from './helpers.js';

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.sort();
}

describe('applyServicePlan', () => {
  let home: string;
  let linux: ServicePlan;
  let darwin: ServicePlan;

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'oc-home '));
    const common = {
      home,
      uid: 501,
      nodeExecutable: '/usr/bin/node',
      agentEntry: '/opt/openclaw/agent/dist/bin.js',
      configPath: path.join(home, 'node_config.yaml'),
    };
    linux = planServiceInstall({ ...common, platform: 'linux', logDir: path.join(home, 'logs') });
    darwin = planServiceInstall({ ...common, platform: 'darwin' });
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('changes nothing in a dry run and describes every file and command', async () => {
    const { run, calls } = recordingRunner();
    const result = await applyServicePlan(linux, 'install', { dryRun: true, run });
    expect(calls).toEqual([]);
    expect(await listTree(home)).toEqual([]);
    expect(result.steps.map((step) => step.kind)).toEqual(['mkdir', 'write', 'run', 'run', 'run', 'run']);
    const text = describeServicePlan(linux, 'install');
    for (const line of linux.files[0]!.contents.trimEnd().split('\n'))
      expect(text).toContain(`    | ${line}`);
    expect(text).toContain(`write ${linux.definitionPath} (mode 644):`);
    expect(text).toContain(`create folder ${path.join(home, 'logs')} (mode 755)`);
    for (const argv of linux.commands.install) expect(text).toContain(`run   ${argv.join(' ')}`);
    expect(text).toContain('The service runs: /usr/bin/node /opt/openclaw/agent/dist/bin.js --config');
  });

  it('writes the unit with its mode and runs the install commands in order', async () => {
    const { run, calls } = recordingRunner();
    await applyServicePlan(linux, 'install', { run });
    expect(calls).toEqual(linux.commands.install);
    expect(await readFile(linux.definitionPath, 'utf8')).toBe(linux.files[0]!.contents);
    expect((await stat(linux.definitionPath)).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(home, 'logs'))).isDirectory()).toBe(true);
    expect(await listTree(path.dirname(linux.definitionPath))).toEqual(['openclaw-agent.service']);
  });

  it('overwrites an older unit on reinstall', async () => {
    const { run } = recordingRunner();
    await applyServicePlan(linux, 'install', { run });
    await writeFile(linux.definitionPath, 'stale');
    await applyServicePlan(linux, 'install', { run });
    expect(await readFile(linux.definitionPath, 'utf8')).toBe(linux.files[0]!.contents);
  });

  it('uninstalls: disables, removes the unit, then reloads', async () => {
    const order: string[] = [];
    const { run } = recordingRunner((argv) => {
      order.push(argv.slice(2).join(' '));
      return undefined;
    });
    await applyServicePlan(linux, 'install', { run });
    order.length = 0;
    await applyServicePlan(linux, 'uninstall', {
      run,
      removeFile: async (file) => {
        order.push(`remove ${path.basename(file)}`);
        await rm(file);
      },
    });
    expect(order).toEqual([
      'disable --now openclaw-agent.service',
      'remove openclaw-agent.service',
      'daemon-reload',
      'reset-failed openclaw-agent.service',
    ]);
    await expect(stat(linux.definitionPath)).rejects.toThrow(/ENOENT/);
    expect((await stat(path.join(home, 'logs'))).isDirectory()).toBe(true);
  });

  it('continues past an expected failure and records it as tolerated', async () => {
    const { run, calls } = recordingRunner((argv) =>
      argv[1] === 'bootout' ? { exitCode: 3, stderr: 'Boot-out failed: 3: No such process' } : undefined,
    );
    const result = await applyServicePlan(darwin, 'install', { run });
    expect(calls).toEqual(darwin.commands.install);
    expect(result.results.map((entry) => entry.tolerated)).toEqual([true, false, false]);
    expect(await readFile(darwin.definitionPath, 'utf8')).toContain('<string>Aqua</string>');
    expect((await stat(path.join(home, 'Library', 'Logs', 'openclaw-node'))).isDirectory()).toBe(true);
  });

  it('stops at an unexpected failure with the command, output, hint and completed steps', async () => {
    const { run, calls } = recordingRunner((argv) =>
      argv[2] === 'enable'
        ? { exitCode: 1, stderr: 'Failed to connect to bus: No medium found\n' }
        : undefined,
    );
    let caught: unknown;
    try {
      await applyServicePlan(linux, 'install', { run });
    } catch (error) {
      caught = error;
    }
    expect(isOpenClawError(caught)).toBe(true);
    const error = caught as { code: string; message: string; details: Record<string, unknown> };
    expect(error.code).toBe('SERVICE_COMMAND_FAILED');
    expect(error.message).toMatch(
      /^install failed: `systemctl --user enable openclaw-agent.service` exited with code 1/,
    );
    expect(error.message).toMatch(/Failed to connect to bus/);
    expect(error.message).toMatch(/desktop session/);
    expect(error.details).toMatchObject({
      action: 'install',
      command: ['systemctl', '--user', 'enable', 'openclaw-agent.service'],
      exitCode: 1,
    });
    expect(error.details.completed).toEqual([
      `mkdir ${path.join(home, 'logs')}`,
      `write ${linux.definitionPath}`,
      'run systemctl --user daemon-reload',
      `run systemctl --user import-environment ${linux.commands.install[1]!.slice(3).join(' ')}`,
    ]);
    expect(calls).toHaveLength(3);
  });

  it('does not tolerate a failure outside the actions it is expected in', async () => {
    const { run } = recordingRunner(() => ({ exitCode: 3, stderr: 'Boot-out failed: 3: No such process' }));
    await expect(applyServicePlan(darwin, 'restart', { run })).rejects.toMatchObject({
      code: 'SERVICE_COMMAND_FAILED',
    });
  });

  it('runs start, stop and restart without touching files', async () => {
    const { run, calls } = recordingRunner();
    for (const action of ['start', 'stop', 'restart'] as const)
      await applyServicePlan(linux, action, { run });
    expect(calls).toEqual([...linux.commands.start, ...linux.commands.stop, ...linux.commands.restart]);
    expect(await listTree(home)).toEqual([]);
  });

  it('reports a missing service manager with exit code 127 through the real runner', async () => {
    const plan: ServicePlan = {
      ...linux,
      commands: { ...linux.commands, start: [['openclaw-no-such-systemctl', '--user']] },
    };
    await expect(applyServicePlan(plan, 'start', { run: runServiceCommand })).rejects.toThrow(
      /exited with code 127[\s\S]*openclaw-no-such-systemctl was not found/,
    );
  });
});

describe('runServiceCommand', () => {
  it('runs argv arrays without a shell and captures output and exit code', async () => {
    const result = await runServiceCommand([
      process.execPath,
      '-e',
      'process.stdout.write(process.argv[1]); process.stderr.write("e"); process.exit(4)',
      '$HOME; echo "not a shell" & `x`',
    ]);
    expect(result).toEqual({ exitCode: 4, stdout: '$HOME; echo "not a shell" & `x`', stderr: 'e' });
  });
});
