import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planServiceInstall, systemdExecArg, type ServicePlan } from '../../src/service/index.js';
import { awkwardOptions } from './helpers.js';

function unitOf(plan: ServicePlan): string {
  return plan.files[0]!.contents;
}

describe('the systemd --user unit', () => {
  const plan = planServiceInstall(awkwardOptions('linux'));
  const lines = unitOf(plan).split('\n');

  it('lives in ~/.config/systemd/user as openclaw-agent.service', () => {
    expect(plan.definitionPath).toBe('/home/ana/.config/systemd/user/openclaw-agent.service');
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]!.mode).toBe(0o644);
  });

  it('is bound to the graphical session', () => {
    expect(lines).toContain('PartOf=graphical-session.target');
    expect(lines).toContain('After=graphical-session.target');
    expect(lines).toContain('WantedBy=graphical-session.target');
  });

  it('restarts on failure but not after the permanent exit codes', () => {
    expect(lines).toContain('Restart=on-failure');
    expect(lines).toContain('RestartSec=5');
    expect(lines).toContain('RestartPreventExitStatus=2 3 4');
  });

  it('stops only the agent, leaving the applications it opened', () => {
    expect(lines).toContain('KillMode=process');
  });

  it('escapes spaces, quotes, backslashes, % and $ in ExecStart', () => {
    expect(lines).toContain(
      'ExecStart="/opt/node 20/bin/node" "/opt/open claw/agent/dist/bin.js" --config ' +
        '"/home/ana/100%% <cfg> & \\"x\\" $$HOME\\\\/node_config.yaml"',
    );
  });

  it('sets the supervisor and the caller environment, quoted', () => {
    expect(lines).toContain('Environment="OPENCLAW_LOG_LEVEL=debug"');
    expect(lines).toContain('Environment="OPENCLAW_AGENT_SUPERVISOR=systemd"');
  });

  it('leaves plain words unquoted and quotes anything else', () => {
    expect(systemdExecArg('--config')).toBe('--config');
    expect(systemdExecArg('50%')).toBe('"50%%"');
    expect(systemdExecArg('')).toBe('""');
    expect(systemdExecArg("it's")).toBe('"it\'s"');
  });

  it('imports the display environment before every start', () => {
    const importEnv = [
      'systemctl',
      '--user',
      'import-environment',
      'DISPLAY',
      'WAYLAND_DISPLAY',
      'XAUTHORITY',
      'DBUS_SESSION_BUS_ADDRESS',
      'XDG_RUNTIME_DIR',
      'XDG_CURRENT_DESKTOP',
      'XDG_SESSION_TYPE',
    ];
    expect(plan.commands.install).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      importEnv,
      ['systemctl', '--user', 'enable', 'openclaw-agent.service'],
      ['systemctl', '--user', 'restart', 'openclaw-agent.service'],
    ]);
    expect(plan.commands.start[0]).toEqual(importEnv);
    expect(plan.commands.restart[0]).toEqual(importEnv);
    expect(plan.commands.uninstall).toEqual([
      ['systemctl', '--user', 'disable', '--now', 'openclaw-agent.service'],
    ]);
    expect(plan.commands.cleanup[0]).toEqual(['systemctl', '--user', 'daemon-reload']);
  });

  it('uses default.target without the session binding when asked', () => {
    const fallback = planServiceInstall({ ...awkwardOptions('linux'), sessionTarget: 'default' });
    const unit = unitOf(fallback).split('\n');
    expect(unit).toContain('WantedBy=default.target');
    expect(unit.some((line) => line.includes('graphical-session'))).toBe(false);
    expect(fallback.notes.join('\n')).toMatch(/import-environment DISPLAY/);
  });

  it('appends output to a log file when logDir is given, escaping %', () => {
    const logged = planServiceInstall({ ...awkwardOptions('linux'), logDir: '/var/tmp/100% logs' });
    const unit = unitOf(logged).split('\n');
    expect(unit).toContain('StandardOutput=append:/var/tmp/100%% logs/agent.log');
    expect(unit).toContain('StandardError=append:/var/tmp/100%% logs/agent.log');
    expect(logged.directories).toEqual([{ path: '/var/tmp/100% logs', mode: 0o755 }]);
  });

  it('names the unit after the label', () => {
    const named = planServiceInstall({ ...awkwardOptions('linux'), label: 'openclaw-agent-comp' });
    expect(named.definitionPath).toMatch(/openclaw-agent-comp\.service$/);
    expect(named.commands.stop).toEqual([['systemctl', '--user', 'stop', 'openclaw-agent-comp.service']]);
  });
});

describe('systemd-analyze verify --user', () => {
  let dir: string;
  let verifiable: string | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-unit-'));
    const probe = await execa('systemd-analyze', ['--version'], { reject: false });
    if (probe.exitCode !== 0) verifiable = 'systemd-analyze is not installed';
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the generated unit without a warning', async (context) => {
    if (verifiable) context.skip(verifiable);
    // verify checks that ExecStart's program exists: give it real files at awkward paths.
    const appDir = path.join(dir, 'open claw 100% & <co>');
    await mkdir(appDir, { recursive: true });
    const entry = path.join(appDir, 'bin.js');
    await writeFile(entry, 'process.exit(0);\n');
    const home = path.join(dir, 'home');
    const runtime = path.join(dir, 'runtime');
    await mkdir(runtime, { mode: 0o700 });
    await chmod(runtime, 0o700);
    const plan = planServiceInstall({
      platform: 'linux',
      home,
      nodeExecutable: process.execPath,
      agentEntry: entry,
      configPath: path.join(appDir, 'node "config" $HOME.yaml'),
      logDir: path.join(dir, 'logs 100%'),
    });
    const unitPath = path.join(dir, 'openclaw-agent.service');
    await writeFile(unitPath, plan.files[0]!.contents);
    const result = await execa('systemd-analyze', ['verify', '--user', unitPath], {
      reject: false,
      env: { XDG_RUNTIME_DIR: runtime, HOME: home, SYSTEMD_LOG_LEVEL: 'notice' },
    });
    if (result.exitCode !== 0 && /Failed to initialize manager|RuntimeDirectory/.test(result.stderr)) {
      context.skip(`systemd-analyze cannot start a user manager here: ${result.stderr.trim()}`);
    }
    expect(result.stderr.trim()).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('reports a broken unit, so the check above is meaningful', async (context) => {
    if (verifiable) context.skip(verifiable);
    const runtime = path.join(dir, 'runtime2');
    await mkdir(runtime, { mode: 0o700 });
    const unitPath = path.join(dir, 'broken.service');
    await writeFile(unitPath, '[Service]\nExecStart=/nonexistent/node x\nRestart=sometimes\n');
    const result = await execa('systemd-analyze', ['verify', '--user', unitPath], {
      reject: false,
      env: { XDG_RUNTIME_DIR: runtime, HOME: dir },
    });
    expect(result.stderr).toMatch(/restart specifier|not executable/);
  });
});
