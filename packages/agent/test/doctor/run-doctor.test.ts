import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nukePlugin, rvPlugin } from '@openclaw-node/plugins';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderDoctorReport, runDoctor, type DoctorOptions, type DoctorReport } from '../../src/index.js';
import { writePluginPackage } from '../plugins/support/plugin-packages.js';
import { serviceState, windowsOnlyPlugin, writeNodeConfig } from './support/doctor-fixtures.js';
import { installFakeRv, pathWith } from './support/fake-apps.js';
import {
  AGENT_TOKEN,
  closedPort,
  OPERATOR_TOKEN,
  startRealServer,
  type RealServer,
} from './support/real-server.js';

let server: RealServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startRealServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-doctor-'));
  const { bin } = await installFakeRv(dir);
  env = {
    HOME: dir,
    PATH: pathWith(bin),
    DISPLAY: ':0',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
  };
  await mkdir(path.join(dir, 'projects'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const registry = { rv: rvPlugin, nuke: nukePlugin, max: windowsOnlyPlugin };

function doctor(configPath: string, options: Partial<DoctorOptions> = {}): Promise<DoctorReport> {
  return runDoctor({
    configPath,
    env,
    cwd: dir,
    platform: 'linux',
    registry,
    timeoutMs: 15_000,
    // How fast the test server answers depends on the machine's load, not on the code under test.
    slowServerMs: Number.POSITIVE_INFINITY,
    serviceStatus: async () => serviceState(),
    ...options,
  });
}

async function goodConfig(overrides: Record<string, string> = {}): Promise<string> {
  return writeNodeConfig(path.join(dir, 'cfg'), {
    node_id: 'ws-doctor',
    server_url: server.serverUrl,
    auth_token: AGENT_TOKEN,
    plugins: '[rv]',
    allowed_paths: `[${path.join(dir, 'projects')}]`,
    ...overrides,
  });
}

const byId = (report: DoctorReport, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

describe('runDoctor', () => {
  it('passes every check on a workstation that is set up', async () => {
    const file = await goodConfig();
    const report = await doctor(file);
    expect(report.ok).toBe(true);
    expect(report.config).toBe(file);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['config', 'ok'],
      ['config-permissions', 'ok'],
      ['server', 'ok'],
      ['token', 'ok'],
      ['plugin:rv', 'ok'],
      [`allowed-path:${path.join(dir, 'projects')}`, 'ok'],
      ['desktop-session', 'ok'],
      ['service', 'ok'],
      ['log-file', 'ok'],
    ]);
    expect(byId(report, 'server').detail).toMatch(/answered in \d+ ms \(OpenClaw Node \d+\.\d+\.\d+/);
    expect(byId(report, 'server').data).toMatchObject({
      latencyMs: expect.any(Number),
      serverVersion: expect.any(String),
    });
    expect(byId(report, 'token').detail).toMatch(
      /accepted the token for node ws-doctor \(handshake \d+ ms\)/,
    );
    expect(byId(report, 'plugin:rv').detail).toBe(
      `${path.join(dir, 'fake-bin', 'rv')} (version 2024.1.0), found via path`,
    );
    expect(byId(report, 'service').detail).toBe('openclaw-agent is running (pid 4242)');
    expect(byId(report, 'log-file').detail).toContain(
      path.join(dir, '.local', 'state', 'openclaw-node', 'logs', 'agent.log'),
    );
    expect(report.checks.every((c) => c.fix === undefined)).toBe(true);
    expect(renderDoctorReport(report)).toContain('Everything looks good.');
  });

  it('fails on a missing config and points at openclaw agent init, still checking the machine', async () => {
    const missing = path.join(dir, 'nowhere', 'node_config.yaml');
    const report = await doctor(missing);
    expect(report.ok).toBe(false);
    expect(report.config).toBe(missing);
    expect(byId(report, 'config')).toMatchObject({
      status: 'fail',
      detail: `${missing} does not exist`,
      fix: `Run \`openclaw agent init --config ${missing}\` to write one (it asks for the server, the token and the plugins).`,
    });
    expect(report.checks.map((c) => c.id)).toEqual(['config', 'desktop-session', 'service', 'log-file']);
  });

  it('fails on an invalid config with the field at fault', async () => {
    const file = await goodConfig({ server_url: 'pipeline:8765' });
    const report = await doctor(file);
    expect(byId(report, 'config')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('server_url must be a ws://, wss://, http:// or https:// URL'),
      fix: expect.stringContaining('docs/agent.md'),
    });
  });

  it('warns about unknown settings and a token file others can read', async () => {
    const file = await goodConfig({ 'heartbeat-interval': '30' });
    await chmod(file, 0o644);
    const report = await doctor(file);
    expect(report.ok).toBe(true);
    expect(byId(report, 'config')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('did you mean "heartbeat_interval"'),
    });
    expect(byId(report, 'config-permissions')).toMatchObject({ status: 'warn', fix: `chmod 600 ${file}` });
  });

  it('fails when the server cannot be reached, with where to look', async () => {
    const port = await closedPort();
    const file = await goodConfig({ server_url: `ws://127.0.0.1:${port}/ws` });
    const report = await doctor(file);
    expect(report.ok).toBe(false);
    expect(byId(report, 'server')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`cannot reach http://127.0.0.1:${port}/api/health`),
      fix: expect.stringContaining(`that no firewall blocks port ${port}`),
    });
    expect(byId(report, 'token')).toMatchObject({
      status: 'fail',
      data: { code: 'SERVER_UNREACHABLE' },
      fix: 'Fix the server connection first (see "Server reachable"); the token could not be checked.',
    });
  });

  it('fails when the server rejects the token, and not when it only answers', async () => {
    const file = await goodConfig({ auth_token: 'not-the-token' });
    const report = await doctor(file);
    expect(byId(report, 'server').status).toBe('ok');
    expect(byId(report, 'token')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the server rejected the token'),
      fix: expect.stringContaining('Set auth_token in'),
      data: { code: 'AUTH_INVALID' },
    });
    expect(JSON.stringify(report)).not.toContain('not-the-token');
  });

  it('tells a wrong Socket.IO path apart from a server that is down', async () => {
    const port = new URL(server.url).port;
    const file = await goodConfig({ server_url: `ws://127.0.0.1:${port}/socket` });
    const report = await doctor(file);
    expect(byId(report, 'server').status).toBe('ok');
    expect(byId(report, 'token')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('not the OpenClaw Socket.IO endpoint'),
      fix: expect.stringContaining('check the path of server_url in'),
    });
  });

  it('warns when the server answers slowly', async () => {
    const report = await doctor(await goodConfig(), { slowServerMs: 0 });
    expect(byId(report, 'server')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/answered in \d+ ms .*: slow$/),
      fix: expect.stringContaining('Check VPN, proxy or Wi-Fi'),
    });
  });

  it('fails for a token without the agent role', async () => {
    const file = await goodConfig({ auth_token: OPERATOR_TOKEN });
    const token = byId(await doctor(file), 'token');
    expect(token).toMatchObject({
      status: 'fail',
      data: { code: 'FORBIDDEN' },
      fix: expect.stringContaining('agent role'),
    });
  });

  it('reports applications that are missing, plugins that do not exist or do not run here', async () => {
    const file = await goodConfig({ plugins: '[rv, nuke, maya, max]' });
    const report = await doctor(file, { env: { ...env, PATH: pathWith(path.join(dir, 'empty')) } });
    expect(byId(report, 'plugin:rv')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^rv was not found \(looked in /),
      fix: 'Install RV, or set plugin_config.rv.path to the rv executable (or the AGENT_RV_EXE environment variable).',
    });
    expect(byId(report, 'plugin:nuke')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('AGENT_NUKE_EXE'),
    });
    expect(byId(report, 'plugin:maya')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no plugin is named "maya"'),
      fix: expect.stringContaining('built-in plugins: rv, nuke, max'),
    });
    expect(byId(report, 'plugin:max')).toMatchObject({
      status: 'warn',
      detail: 'not loaded: supports windows only; this node runs linux',
      fix: expect.stringContaining('Remove max from plugins'),
    });
  });

  it('loads npm plugins from plugin_dirs as the agent does, and pings them too', async () => {
    const pluginDir = path.join(dir, 'plugins');
    await writePluginPackage(
      path.join(pluginDir, '@studio/openclaw-plugin-houdini'),
      '@studio/openclaw-plugin-houdini',
      `import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
export default definePlugin({
  name: 'houdini',
  version: '2.1.0',
  description: 'Houdini batch tools',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    ping: defineAction({
      description: 'Find hython',
      params: { type: 'object', additionalProperties: false, properties: {} },
      run: (_params, ctx) => ({ ok: true, plugin: 'houdini', platform: ctx.platform, available: false, app: null, reason: 'hython was not found' }),
    }),
  },
});
`,
      { link: true },
    );
    const file = await goodConfig({
      plugins: '["@studio/openclaw-plugin-houdini", "@studio/openclaw-plugin-maya"]',
      plugin_dirs: `[${pluginDir}]`,
    });
    const report = await doctor(file);
    expect(byId(report, 'plugin:houdini')).toMatchObject({
      status: 'fail',
      detail: 'hython was not found',
      fix: expect.stringContaining('plugin_config.houdini.path'),
    });
    expect(byId(report, 'plugin:@studio/openclaw-plugin-maya')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('install the plugin package (npm, or a folder in plugin_dirs)'),
    });
  });

  it('finds an application through plugin_config', async () => {
    const { rv } = await installFakeRv(path.join(dir, 'opt'), '2023.0.1');
    const file = await goodConfig({ plugin_config: `{ rv: { path: ${rv} } }` });
    const report = await doctor(file, { env: { ...env, PATH: pathWith(path.join(dir, 'empty')) } });
    expect(byId(report, 'plugin:rv')).toMatchObject({
      status: 'ok',
      detail: `${rv} (version 2023.0.1), found via config`,
    });
  });

  it('warns when no plugin is enabled', async () => {
    const report = await doctor(await goodConfig({ plugins: '[]' }));
    expect(byId(report, 'plugins')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('plugins: [explorer, rv]'),
    });
  });

  it('checks each allowed path: missing fails, a file warns, another OS is ignored, none at all warns', async () => {
    const projects = path.join(dir, 'projects');
    const missing = path.join(dir, 'mnt', 'gone');
    const single = path.join(dir, 'shot.exr');
    await writeFile(single, '');
    const file = await goodConfig({
      allowed_paths: JSON.stringify([projects, missing, single, 'P:\\projects']),
    });
    const report = await doctor(file);
    expect(byId(report, `allowed-path:${projects}`).status).toBe('ok');
    expect(byId(report, `allowed-path:${missing}`)).toMatchObject({
      status: 'fail',
      detail: 'does not exist',
      fix: expect.stringContaining(`Mount or create ${missing}, or remove it from allowed_paths`),
    });
    expect(byId(report, `allowed-path:${single}`)).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('is a file'),
    });
    expect(byId(report, 'allowed-path:P:\\projects')).toMatchObject({
      status: 'ok',
      detail: 'a path for another OS, ignored on linux',
    });
    const none = await doctor(await goodConfig({ allowed_paths: '[]' }));
    expect(byId(none, 'allowed-paths')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('allowed_paths: [/mnt/projects]'),
    });
  });

  it('checks the desktop session on Linux and points at openclaw agent install', async () => {
    const file = await goodConfig();
    const headless = await doctor(file, { env: { HOME: dir, PATH: env.PATH } });
    expect(byId(headless, 'desktop-session')).toMatchObject({
      status: 'fail',
      detail:
        'neither DISPLAY nor WAYLAND_DISPLAY is set: rv cannot open windows, and there is no session bus (DBUS_SESSION_BUS_ADDRESS)',
      fix: expect.stringContaining('`openclaw agent install`'),
    });
    const renderOnly = await doctor(await goodConfig({ plugins: '[]' }), { env: { HOME: dir } });
    expect(byId(renderOnly, 'desktop-session').status).toBe('warn');
    const noBus = await doctor(file, { env: { ...env, DBUS_SESSION_BUS_ADDRESS: '' } });
    expect(byId(noBus, 'desktop-session')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('DISPLAY=:0, but DBUS_SESSION_BUS_ADDRESS'),
    });
    const windows = await doctor(file, { platform: 'windows', env: { ...env, DISPLAY: '' } });
    expect(windows.checks.find((c) => c.id === 'desktop-session')).toBeUndefined();
  });

  it('reports the service: stopped for good fails, stopped warns, absent is fine, unknown warns', async () => {
    const file = await goodConfig();
    const refused = await doctor(file, {
      serviceStatus: async () =>
        serviceState({ running: false, lastExitCode: 3, detail: 'failed (exit-code 3)' }),
    });
    expect(byId(refused, 'service')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('stopped with exit code 3: the server rejected the token'),
      fix: expect.stringContaining('openclaw agent service-start'),
    });
    const stopped = await doctor(file, {
      serviceStatus: async () => serviceState({ running: false, detail: 'inactive (dead)' }),
    });
    expect(byId(stopped, 'service')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('openclaw agent logs'),
    });
    const absent = await doctor(file, {
      serviceStatus: async () => serviceState({ installed: false, running: false, detail: 'not installed' }),
    });
    expect(byId(absent, 'service')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('is not installed'),
    });
    const broken = await doctor(file, {
      serviceStatus: async () => {
        throw new Error('systemctl: command not found');
      },
    });
    expect(byId(broken, 'service')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('command not found'),
    });
    const skipped = await doctor(file, { serviceStatus: false });
    expect(skipped.checks.find((c) => c.id === 'service')).toBeUndefined();
  });

  it('renders each problem with its fix and a summary', async () => {
    const file = await goodConfig({ auth_token: 'wrong', allowed_paths: '[]' });
    const text = renderDoctorReport(await doctor(file));
    expect(text).toContain(`OpenClaw agent doctor (${file})`);
    expect(text).toMatch(/ {2}FAIL {2}Token accepted +the server rejected the token/);
    expect(text).toMatch(/\n +fix: Set auth_token in /);
    expect(text).toMatch(/ {2}warn {2}Allowed paths/);
    expect(text).toContain('1 problem, 1 warning. The agent cannot work until the problems are fixed.');
  });
});
