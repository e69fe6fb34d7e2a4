import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyServicePlan,
  planServiceInstall,
  serviceStatus,
  type ServicePlan,
  type ServiceStatus,
} from '../../src/service/index.js';
import { startUserManager, type UserManager } from '@openclaw-node/test-support/agent';

// A faithful stand-in for the agent bin: it reads --config like the real one and obeys `exit: N` in it.
const FAKE_AGENT = `
const fs = require('node:fs');
const config = process.argv[process.argv.indexOf('--config') + 1];
fs.appendFileSync(process.env.OPENCLAW_TEST_RECORD, JSON.stringify({
  pid: process.pid, argv: process.argv.slice(1), cwd: process.cwd(),
  display: process.env.DISPLAY ?? null, supervisor: process.env.OPENCLAW_AGENT_SUPERVISOR ?? null,
}) + '\\n');
const check = () => {
  let text = '';
  try { text = fs.readFileSync(config, 'utf8'); } catch {}
  const match = /^exit: (\\d+)$/m.exec(text);
  if (match) process.exit(Number(match[1]));
};
check();
setInterval(check, 50);
process.on('SIGTERM', () => process.exit(0));
`;

interface Record {
  pid: number;
  argv: string[];
  cwd: string;
  display: string | null;
  supervisor: string | null;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

// A real `systemctl --user` install needs a user manager. This container has none (PID 1 is not
// systemd), so the test starts a private one in a mount namespace when it runs as root, and skips
// with the reason otherwise. It never touches a real desktop session's manager.
describe('a real systemctl --user install', () => {
  let dir: string;
  let manager: UserManager | string;
  let plan: ServicePlan;
  let configPath: string;
  let recordPath: string;
  const saved = {
    XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR,
    DISPLAY: process.env.DISPLAY,
    HOME: process.env.HOME,
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-um-'));
    manager = await startUserManager(dir);
    if (typeof manager === 'string') return;
    // As in the artist's session: systemctl finds the manager through XDG_RUNTIME_DIR, and unit
    // files through HOME (enable works on the files client-side when PID 1 is not systemd).
    process.env.XDG_RUNTIME_DIR = manager.runtimeDir;
    process.env.HOME = manager.home;
    process.env.DISPLAY = ':77';
    const appDir = path.join(dir, 'app 100% $HOME "q"');
    const configDir = path.join(dir, "cfg & <x> 'y'");
    await mkdir(appDir);
    await mkdir(configDir);
    const entry = path.join(appDir, 'fake agent.cjs');
    await writeFile(entry, FAKE_AGENT);
    configPath = path.join(configDir, 'node_config.yaml');
    recordPath = path.join(dir, 'record.jsonl');
    await writeFile(configPath, 'run\n');
    plan = planServiceInstall({
      platform: 'linux',
      home: manager.home,
      nodeExecutable: process.execPath,
      agentEntry: entry,
      configPath,
      env: { OPENCLAW_TEST_RECORD: recordPath },
    });
  }, 30_000);

  afterAll(async () => {
    if (typeof manager !== 'string') await manager.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  async function records(): Promise<Record[]> {
    const text = await readFile(recordPath, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record);
  }
  const status = (): Promise<ServiceStatus> => serviceStatus(plan);
  const runningAs = async (pid: number): Promise<ServiceStatus | undefined> => {
    const current = await status();
    return current.running && current.pid === pid ? current : undefined;
  };

  it('installs, starts the agent with the exact argv and the desktop environment', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    await applyServicePlan(plan, 'install');
    const [first] = await waitFor('the agent to start', async () => {
      const all = await records();
      return all.length > 0 ? all : undefined;
    });
    expect(first!.argv).toEqual(plan.agentArgv.slice(1));
    expect(first!.display).toBe(':77');
    expect(first!.supervisor).toBe('systemd');
    expect(first!.cwd).toBe((manager as UserManager).home);
    const running = await waitFor('status running', () => runningAs(first!.pid));
    expect(running).toMatchObject({ installed: true, enabled: true });
  });

  it('restarts the agent after a crash (exit 1)', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    const before = (await records()).length;
    await writeFile(configPath, 'exit: 1\n');
    await waitFor('systemd to schedule a restart', async () => {
      const current = await status();
      return current.lastExitCode === 1 ? current : undefined;
    });
    await writeFile(configPath, 'run\n');
    const restarted = await waitFor('the restarted agent', async () => {
      const all = await records();
      return all.length > before ? all[all.length - 1] : undefined;
    });
    const current = await waitFor('status running again', () => runningAs(restarted.pid));
    expect(current.detail).toMatch(/restarted 1 time/);
  }, 40_000);

  it('does not restart an agent whose token was rejected (exit 3)', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    await writeFile(configPath, 'exit: 3\n');
    const stopped = await waitFor('the agent to stop', async () => {
      const current = await status();
      return current.running ? undefined : current;
    });
    expect(stopped.lastExitCode).toBe(3);
    // "failed" rather than "activating (auto-restart)": systemd decided not to restart it.
    expect(stopped.detail).toMatch(/^failed \(failed\).*last exit 3: the server rejected the token/);
  });

  it('starts and stops on request', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    await writeFile(configPath, 'run\n');
    const before = (await records()).length;
    await applyServicePlan(plan, 'start');
    const started = await waitFor('the started agent', async () => {
      const all = await records();
      return all.length > before ? all[all.length - 1] : undefined;
    });
    await waitFor('status running', () => runningAs(started.pid));
    await applyServicePlan(plan, 'stop');
    const stopped = await status();
    expect(stopped).toMatchObject({ installed: true, running: false });
    expect(stopped.detail).toMatch(/^inactive \(dead\)/);
  });

  it('uninstalls: the unit file is gone and the manager forgets it', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    await applyServicePlan(plan, 'uninstall');
    await expect(stat(plan.definitionPath)).rejects.toThrow(/ENOENT/);
    expect(await status()).toMatchObject({ installed: false, running: false, detail: 'not installed' });
  });
});
