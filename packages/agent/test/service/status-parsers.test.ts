import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseLaunchctlPrint,
  parseSchtasksQuery,
  parseSystemdShow,
  planServiceInstall,
  serviceStatus,
  type CommandResult,
} from '../../src/service/index.js';
import { awkwardOptions, recordingRunner } from './helpers.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
function ok(name: string): CommandResult {
  return { exitCode: 0, stdout: fixture(name), stderr: '' };
}
function failed(exitCode: number, name: string): CommandResult {
  return { exitCode, stdout: '', stderr: fixture(name) };
}

// The systemctl fixtures were captured from a real `systemd --user` (252) running the unit.
describe('parseSystemdShow', () => {
  it('reads a running unit with its pid', () => {
    expect(parseSystemdShow(ok('systemctl-show-running.txt'))).toEqual({
      reachable: true,
      loaded: true,
      running: true,
      pid: 25974,
      enabled: true,
      detail: 'active (running), enabled',
    });
  });

  it('reports the exit code and its meaning when the unit stopped for good', () => {
    const state = parseSystemdShow(ok('systemctl-show-failed.txt'));
    expect(state).toMatchObject({ loaded: true, running: false, lastExitCode: 3, enabled: true });
    expect(state.detail).toBe(
      'failed (failed), enabled, restarted 1 time; last exit 3: the server rejected the token: fix auth_token in node_config.yaml, then start the service',
    );
  });

  it('shows a unit waiting to restart after a crash', () => {
    const state = parseSystemdShow(ok('systemctl-show-auto-restart.txt'));
    expect(state).toMatchObject({ running: false, lastExitCode: 1 });
    expect(state.detail).toMatch(/^activating \(auto-restart\), enabled; last exit 1: failed unexpectedly$/);
  });

  it('treats a unit without a file as not loaded', () => {
    expect(parseSystemdShow(ok('systemctl-show-not-found.txt'))).toEqual({
      reachable: true,
      loaded: false,
      running: false,
      detail: 'unit not-found',
    });
  });

  it('reads a disabled, stopped unit', () => {
    expect(parseSystemdShow(ok('systemctl-show-disabled.txt'))).toMatchObject({
      loaded: true,
      running: false,
      enabled: false,
      detail: 'inactive (dead), disabled',
    });
  });

  it('says the user manager is unreachable when systemctl cannot reach the bus', () => {
    expect(parseSystemdShow(failed(1, 'systemctl-show-no-bus.stderr.txt'))).toEqual({
      reachable: false,
      loaded: false,
      running: false,
      detail: 'Failed to connect to bus: No such file or directory',
    });
  });
});

describe('parseLaunchctlPrint', () => {
  it('reads the top-level state and pid, not those of nested blocks', () => {
    expect(parseLaunchctlPrint(ok('launchctl-print-running.txt'))).toEqual({
      reachable: true,
      loaded: true,
      running: true,
      pid: 4242,
      detail: 'running',
    });
  });

  it('reads a loaded agent that exited cleanly', () => {
    expect(parseLaunchctlPrint(ok('launchctl-print-not-running.txt'))).toEqual({
      reachable: true,
      loaded: true,
      running: false,
      lastExitCode: 0,
      detail: 'not running',
    });
  });

  it('reads a numbered exit code with its symbolic name', () => {
    const state = parseLaunchctlPrint(ok('launchctl-print-spawn-scheduled.txt'));
    expect(state).toMatchObject({ running: false, lastExitCode: 78 });
    expect(state.detail).toBe('spawn scheduled; last exit 78: exited with code 78');
  });

  it('treats an unknown service as not loaded', () => {
    expect(parseLaunchctlPrint(failed(113, 'launchctl-print-not-found.stderr.txt'))).toEqual({
      reachable: true,
      loaded: false,
      running: false,
      detail: 'Bad request. Could not find service "com.openclaw.agent" in domain for user gui: 501',
    });
  });
});

describe('parseSchtasksQuery', () => {
  it('reads a running task, ignoring the "task is running" result code', () => {
    expect(parseSchtasksQuery(ok('schtasks-query-running.txt'))).toEqual({
      reachable: true,
      loaded: true,
      running: true,
      enabled: true,
      detail: 'Running, enabled',
    });
  });

  it("reports the agent's exit code after it stopped", () => {
    const state = parseSchtasksQuery(ok('schtasks-query-exited.txt'));
    expect(state).toMatchObject({ running: false, lastExitCode: 3, enabled: true });
    expect(state.detail).toMatch(/^Ready, enabled; last exit 3: the server rejected the token/);
  });

  it('reads a disabled task that never ran', () => {
    expect(parseSchtasksQuery(ok('schtasks-query-disabled.txt'))).toEqual({
      reachable: true,
      loaded: true,
      running: false,
      enabled: false,
      detail: 'Disabled, disabled, the task has not run yet',
    });
  });

  it('treats a missing task as not installed', () => {
    expect(parseSchtasksQuery(failed(1, 'schtasks-query-not-found.stderr.txt'))).toEqual({
      reachable: true,
      loaded: false,
      running: false,
      detail: 'ERROR: The system cannot find the file specified.',
    });
  });

  it('still reports a registered task when Windows answers in another language', () => {
    const german =
      'Ordner: \\\r\nHostname: WS-042\r\nAufgabenname: \\OpenClaw Agent\r\nStatus: Wird ausgeführt\r\n';
    expect(parseSchtasksQuery({ exitCode: 0, stdout: german, stderr: '' })).toMatchObject({
      loaded: true,
      running: false,
    });
  });
});

describe('serviceStatus', () => {
  it('runs the status command and combines it with the definition file', async () => {
    const plan = planServiceInstall(awkwardOptions('linux'));
    const { run, calls } = recordingRunner(() => ({ stdout: fixture('systemctl-show-running.txt') }));
    const status = await serviceStatus(plan, { run, fileExists: async () => true });
    expect(calls).toEqual(plan.commands.status);
    expect(status).toEqual({
      platform: 'linux',
      label: 'openclaw-agent',
      installed: true,
      running: true,
      pid: 25974,
      enabled: true,
      detail: 'active (running), enabled',
      definitionPath: plan.definitionPath,
      logs: 'journalctl --user -u openclaw-agent.service -f',
    });
  });

  it('says not installed when neither the file nor the service manager knows it', async () => {
    const plan = planServiceInstall(awkwardOptions('darwin'));
    const { run } = recordingRunner(() => ({
      exitCode: 113,
      stderr: fixture('launchctl-print-not-found.stderr.txt'),
    }));
    const status = await serviceStatus(plan, { run, fileExists: async () => false });
    expect(status).toMatchObject({ installed: false, running: false, detail: 'not installed' });
  });

  it('says installed but not loaded for a plist that launchd does not know', async () => {
    const plan = planServiceInstall(awkwardOptions('darwin'));
    const { run } = recordingRunner(() => ({
      exitCode: 113,
      stderr: fixture('launchctl-print-not-found.stderr.txt'),
    }));
    const status = await serviceStatus(plan, { run, fileExists: async () => true });
    expect(status).toMatchObject({ installed: true, running: false });
    expect(status.detail).toMatch(/^installed but not loaded/);
  });

  it('explains how to reach the user manager when systemctl cannot', async () => {
    const plan = planServiceInstall(awkwardOptions('linux'));
    const { run } = recordingRunner(() => ({
      exitCode: 1,
      stderr: fixture('systemctl-show-no-bus.stderr.txt'),
    }));
    const status = await serviceStatus(plan, { run, fileExists: async () => true });
    expect(status.installed).toBe(true);
    expect(status.detail).toMatch(
      /cannot ask the service manager: Failed to connect to bus.*desktop session/,
    );
  });

  it('counts only the registered task on Windows, not the XML file', async () => {
    const plan = planServiceInstall(awkwardOptions('windows'));
    const { run } = recordingRunner(() => ({
      exitCode: 1,
      stderr: fixture('schtasks-query-not-found.stderr.txt'),
    }));
    const status = await serviceStatus(plan, { run, fileExists: async () => true });
    expect(status).toMatchObject({ installed: false, detail: 'not installed' });
  });
});
