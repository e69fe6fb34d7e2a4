import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findAgentEntry } from '@openclaw-node/agent';
import { DEFAULT_SOCKET_PATH } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builtins, Cli } from '../src/clipanion.js';
import { AgentInstallCommand } from '../src/commands/agent/install.js';
import { AgentServiceStartCommand } from '../src/commands/agent/service-start.js';
import { AgentServiceStopCommand } from '../src/commands/agent/service-stop.js';
import { AgentStatusCommand } from '../src/commands/agent/status.js';
import { AgentUninstallCommand } from '../src/commands/agent/uninstall.js';
import type { OpenClawContext } from '../src/context.js';
import { startUserManager, type UserManager } from '@openclaw-node/test-support/agent';
import { cli, memoryStream, type CliRun } from '@openclaw-node/test-support/cli';

const TOKEN = 'svc-test-token-51f0';

/** The five service commands in a CLI of their own, run in memory with only `env`. */
async function run(argv: string[], env: Record<string, string>): Promise<CliRun> {
  const cli = new Cli<OpenClawContext>({ binaryName: 'openclaw' });
  for (const command of [
    AgentInstallCommand,
    AgentUninstallCommand,
    AgentStatusCommand,
    AgentServiceStartCommand,
    AgentServiceStopCommand,
    Builtins.HelpCommand,
  ]) {
    cli.register(command);
  }
  const out = memoryStream();
  const err = memoryStream();
  const code = await cli.run(argv, { stdout: out.stream, stderr: err.stream, env, colorDepth: 1 });
  return { code, stdout: out.text(), stderr: err.text() };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('openclaw agent install --dry-run', () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'oc-cli-svc-'));
    env = { HOME: home, USERPROFILE: 'C:\\Users\\ana', USERDOMAIN: 'STUDIO', USERNAME: 'ana' };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('prints the unit and the systemctl commands and writes nothing', async () => {
    const config = path.join(home, 'my config', 'node_config.yaml');
    const result = await run(
      ['agent', 'install', '--dry-run', '--platform', 'linux', '--config', config],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`write ${home}/.config/systemd/user/openclaw-agent.service (mode 644):`);
    expect(result.stdout).toContain('    | WantedBy=graphical-session.target');
    expect(result.stdout).toContain(`--config "${config}"`);
    expect(result.stdout).toContain('run   systemctl --user enable openclaw-agent.service');
    expect(await readdir(home)).toEqual([]);
  });

  it('prints the LaunchAgent plist on macOS and the task XML on Windows', async () => {
    const mac = await run(
      ['agent', 'install', '--dry-run', '--platform', 'darwin', '--config', '/Users/ana/c.yaml'],
      env,
    );
    expect(mac.code).toBe(0);
    expect(mac.stdout).toContain('<string>Aqua</string>');
    expect(mac.stdout).toMatch(/run {3}launchctl bootstrap gui\/\d+ /);
    const win = await run(
      [
        'agent',
        'install',
        '--dry-run',
        '--platform',
        'windows',
        '--config',
        'C:\\Users\\ana\\node_config.yaml',
      ],
      env,
    );
    expect(win.code).toBe(0);
    expect(win.stdout).toContain('<UserId>STUDIO\\ana</UserId>');
    expect(win.stdout).toContain('run   schtasks /Create /TN "OpenClaw Agent" /XML');
  });

  it('warns, in a dry run, that the config does not exist yet', async () => {
    const result = await run(
      ['agent', 'install', '--dry-run', '--config', path.join(home, 'missing.yaml')],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: config: .*missing\.yaml does not exist/);
  });

  it('does not warn about ${VAR} in the comments agent init writes, only in values', async () => {
    const config = path.join(home, 'init', 'node_config.yaml');
    const written = await cli(
      [
        'agent',
        'init',
        '--config',
        config,
        '--server',
        'ws://127.0.0.1:9/ws',
        '--token',
        'abc',
        '--node-id',
        'ws-042',
        '--plugins',
        '',
        '--yes',
        '--no-verify',
      ],
      { HOME: home },
    );
    expect(written.code, written.stderr).toBe(0);
    const text = await readFile(config, 'utf8');
    expect(text).toMatch(/^#.*\$\{VAR\}/m);
    // Its comments point to the web docs: a workstation has no docs/ folder.
    expect(text).toContain(
      '# Every setting: https://github.com/openclaw-node/openclaw-node/blob/main/docs/agent.md#configuration-reference',
    );
    expect(text).not.toMatch(/[^/]docs\/agent\.md/);
    const quiet = await run(['agent', 'install', '--dry-run', '--config', config], env);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('${VAR}');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('auth_token: abc', 'auth_token: ${TOKEN}'),
    );
    const warned = await run(['agent', 'install', '--dry-run', '--config', config], { ...env, TOKEN: 'abc' });
    expect(warned.stderr).toContain(
      "reads ${VAR} from the environment, but the service does not inherit your shell's variables",
    );
  });

  it('refuses to install for another OS without --dry-run', async () => {
    const result = await run(['agent', 'install', '--platform', 'windows', '--config', 'C:\\c.yaml'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--platform windows plans for another OS: combine it with --dry-run/);
  });

  it('reports option mistakes as usage errors naming the option', async () => {
    const target = await run(['agent', 'install', '--dry-run', '--session-target', 'xfce'], env);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatch(/sessionTarget: "xfce" is not graphical-session or default/);
    const assignment = await run(['agent', 'install', '--dry-run', '--env', 'NOEQUALS'], env);
    expect(assignment.code).toBe(2);
    expect(assignment.stderr).toMatch(/--env "NOEQUALS": write NAME=value/);
    const secret = await run(['agent', 'install', '--dry-run', '--env', 'OPENCLAW_NODE_TOKEN=x'], env);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/env\.OPENCLAW_NODE_TOKEN: looks like a secret/);
  });

  it('describes uninstall, start and stop in dry runs', async () => {
    const uninstall = await run(['agent', 'uninstall', '--dry-run', '--platform', 'linux'], env);
    expect(uninstall.stdout).toContain('run   systemctl --user disable --now openclaw-agent.service');
    expect(uninstall.stdout).toContain(`remove ${home}/.config/systemd/user/openclaw-agent.service`);
    const start = await run(
      ['agent', 'service-start', '--dry-run', '--platform', 'darwin', '--label', 'x.agent'],
      env,
    );
    expect(start.stdout).toMatch(/run {3}launchctl kickstart gui\/\d+\/x\.agent/);
    const stop = await run(['agent', 'service-stop', '--dry-run', '--platform', 'windows'], env);
    expect(stop.stdout).toContain('run   schtasks /End /TN "OpenClaw Agent"');
  });

  it('shows usage with examples', async () => {
    const result = await run(['agent', 'install', '--help'], env);
    expect(result.stdout).toContain('agent install --dry-run');
    expect(result.stdout).not.toContain('--platform');
  });
});

// End to end: the CLI installs the service into a private `systemd --user`, which runs the real agent
// bin, which connects to a real server. Skipped (with the reason) where no user manager can run.
describe('openclaw agent install on a real systemd --user', () => {
  let dir: string;
  let manager: UserManager | string;
  let server: OpenClawServer | undefined;
  let url = '';
  let env: Record<string, string> = {};
  let configPath = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cli-um-'));
    const entry = await findAgentEntry();
    const built = await access(entry).then(
      () => true,
      () => false,
    );
    if (!built) {
      manager = `the agent bin ${entry} is not built (npm run build)`;
      return;
    }
    manager = await startUserManager(dir);
    if (typeof manager === 'string') return;
    server = createServer({
      host: '127.0.0.1',
      port: 0,
      tokens: [{ name: 'svc', token: TOKEN }],
      logger: pino({ level: 'silent' }),
      store: 'memory',
    });
    ({ url } = await server.listen());
    configPath = path.join(dir, 'conf dir', 'node_config.yaml');
    await mkdir(path.dirname(configPath));
    await writeFile(
      configPath,
      `node_id: ws-svc-1\nserver_url: ${url.replace(/^http/, 'ws')}${DEFAULT_SOCKET_PATH}\nauth_token: ${TOKEN}\nplugins: []\n`,
      { mode: 0o600 },
    );
    env = {
      HOME: manager.home,
      XDG_RUNTIME_DIR: manager.runtimeDir,
      DISPLAY: ':88',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    };
  }, 40_000);

  afterAll(async () => {
    if (typeof manager !== 'string') await manager.stop();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  async function nodeIds(): Promise<string[]> {
    const response = await fetch(`${url}/api/nodes`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await response.json()) as { nodes?: Array<{ node_id: string }> };
    return (body.nodes ?? []).map((node) => node.node_id);
  }

  it('installs the service, whose agent connects to the server', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    const install = await run(['agent', 'install', '--config', configPath], env);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/ran {3}systemctl --user enable openclaw-agent\.service/);
    expect(install.stdout).toMatch(/Installed openclaw-agent: /);
    await waitFor('the node to register', async () =>
      (await nodeIds()).includes('ws-svc-1') ? true : undefined,
    );
    const status = await run(['agent', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: true, running: true, enabled: true });
    const unit = await readFile(path.join(env.HOME!, '.config/systemd/user/openclaw-agent.service'), 'utf8');
    expect(unit).toContain(`--config "${configPath}"`);
  }, 40_000);

  it('stops and starts the service', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    const stop = await run(['agent', 'service-stop'], env);
    expect(stop.code).toBe(0);
    await waitFor('the node to leave', async () =>
      (await nodeIds()).includes('ws-svc-1') ? undefined : true,
    );
    const stopped = await run(['agent', 'status'], env);
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/running: {4}no/);
    const start = await run(['agent', 'service-start'], env);
    expect(start.code).toBe(0);
    await waitFor('the node to come back', async () =>
      (await nodeIds()).includes('ws-svc-1') ? true : undefined,
    );
  }, 40_000);

  it('leaves a rejected agent stopped instead of restarting it', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    await writeFile(configPath, (await readFile(configPath, 'utf8')).replace(TOKEN, 'wrong-token'), {
      mode: 0o600,
    });
    expect((await run(['agent', 'service-stop'], env)).code).toBe(0);
    expect((await run(['agent', 'service-start'], env)).code).toBe(0);
    const status = await waitFor('the agent to give up', async () => {
      const result = await run(['agent', 'status', '--json'], env);
      const parsed = JSON.parse(result.stdout) as { running: boolean; lastExitCode?: number; detail: string };
      return parsed.lastExitCode === undefined ? undefined : parsed;
    });
    expect(status).toMatchObject({ running: false, lastExitCode: 3 });
    expect(status.detail).toMatch(/^failed \(failed\)/);
  }, 40_000);

  it('uninstalls the service', async (context) => {
    if (typeof manager === 'string') context.skip(manager);
    const uninstall = await run(['agent', 'uninstall'], env);
    expect(uninstall.code).toBe(0);
    const status = await run(['agent', 'status'], env);
    expect(status.code).toBe(4);
    expect(status.stdout).toMatch(/installed: {2}no/);
    const again = await run(['agent', 'uninstall'], env);
    expect(again.stdout).toMatch(/not installed: nothing to do/);
  }, 40_000);
});
