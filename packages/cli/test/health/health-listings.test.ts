import {
  AGENT_NAMESPACE,
  DEFAULT_SOCKET_PATH,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type HelloPayload,
  type PluginManifest,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUptime, pluginsCell } from '../../src/render/node-health.js';
import { cli } from '@openclaw-node/test-support/cli';

const TOKEN = 'cli-health-token-51ae';
const AT = '2025-03-01T10:00:00.000Z';

function manifest(name: string, actions: string[]): PluginManifest {
  return {
    name,
    version: '1.0.0',
    description: name,
    platforms: ['windows', 'darwin', 'linux'],
    sdk: '1.0.0',
    actions: Object.fromEntries(
      actions.map((a) => [a, { description: a, params: { type: 'object', properties: {} } }]),
    ),
  };
}

let server: OpenClawServer;
let env: Record<string, string>;
const sockets: Socket<ServerToAgentEvents, AgentToServerEvents>[] = [];

async function agent(nodeId: string, hello: Partial<HelloPayload>): Promise<void> {
  const url = env.OPENCLAW_SERVER!;
  const socket: Socket<ServerToAgentEvents, AgentToServerEvents> = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    auth: { token: TOKEN, nodeId, protocol: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5000).emitWithAck('hello', {
    nodeId,
    hostname: `${nodeId}.studio.lan`,
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.2.0',
    tags: [],
    plugins: [],
    skipped: [],
    ...hello,
  });
  expect(ack).toMatchObject({ ok: true });
}

beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'test', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  const { url } = await server.listen();
  env = { OPENCLAW_SERVER: url, OPENCLAW_TOKEN: TOKEN };
  await agent('ws-017', {
    plugins: [manifest('explorer', ['ping', 'open_folder']), manifest('rv', ['ping', 'open_sources'])],
    startedAt: new Date(Date.now() - (3 * 3600 + 20 * 60) * 1000).toISOString(),
    os: 'Linux 6.8.0-45-generic',
    health: [
      { plugin: 'explorer', available: true, app: { path: '/usr/bin/xdg-open' }, checkedAt: AT },
      {
        plugin: 'rv',
        available: false,
        reason: 'rv was not found (looked in $AGENT_RV_EXE (unset), /opt/rv/bin/rv, rv on PATH)',
        checkedAt: AT,
      },
    ],
  });
  await agent('ws-018', {
    plugins: [manifest('rv', ['ping', 'open_sources', 'push_sources'])],
    startedAt: new Date(Date.now() - 90_000).toISOString(),
    os: 'Windows_NT 10.0.22631',
    platform: 'windows',
    health: [
      {
        plugin: 'rv',
        available: true,
        app: { path: 'C:\\Program Files\\RV\\bin\\rv.exe', version: '2024.1.0' },
        actions: { push_sources: { available: false, reason: 'no RV listens for rvpush' } },
        checkedAt: AT,
      },
    ],
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

describe('openclaw nodes with health', () => {
  it('shows OS, agent, uptime and marks the plugins that cannot run', async () => {
    const run = await cli(['nodes'], env);
    expect(run.code).toBe(0);
    const [header, first, second] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NODE\s+PLATFORM\s+HOSTNAME\s+OS\s+AGENT\s+UPTIME\s+JOBS\s+CONNECTED\s+PLUGINS$/);
    expect(first).toMatch(
      /^ws-017\s+linux\s+ws-017\.studio\.lan\s+Linux 6\.8\.0-45-generic\s+0\.2\.0\s+3h 2\dm\s+0\s+\d+s ago\s+explorer,rv✗$/,
    );
    expect(second).toMatch(/^ws-018\s+windows\s+.*Windows_NT 10\.0\.22631\s+0\.2\.0\s+1m\s+0\s+.*\brv$/);
  });

  it('passes every fact through with --json', async () => {
    const run = await cli(['nodes', '--json'], env);
    const body = JSON.parse(run.stdout) as { nodes: Record<string, unknown>[] };
    expect(body.nodes[0]).toMatchObject({
      node_id: 'ws-017',
      os: 'Linux 6.8.0-45-generic',
      uptime_s: expect.any(Number),
      apps: { explorer: { path: '/usr/bin/xdg-open' } },
      unavailable: ['rv'],
    });
  });
});

describe('openclaw node <id> with health', () => {
  it('lists each plugin with why it cannot run and the application versions', async () => {
    const run = await cli(['node', 'ws-017'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/agent\s+0\.2\.0, up 3h 2\dm/);
    expect(run.stdout).toMatch(/os\s+Linux 6\.8\.0-45-generic/);
    expect(run.stdout).toContain('Plugin health:');
    expect(run.stdout).toMatch(/^PLUGIN\s+STATUS\s+VERSION\s+DETAIL$/m);
    expect(run.stdout).toMatch(/^explorer\s+available\s+-\s+\/usr\/bin\/xdg-open$/m);
    expect(run.stdout).toMatch(
      /^rv\s+unavailable\s+-\s+rv was not found \(looked in \$AGENT_RV_EXE \(unset\), \/opt\/rv\/bin\/rv, rv on PATH\)$/m,
    );
  });

  it('shows per-action exceptions under their plugin', async () => {
    const run = await cli(['node', 'ws-018'], env);
    expect(run.stdout).toMatch(/^rv\s+available\s+2024\.1\.0\s+C:\\Program Files\\RV\\bin\\rv\.exe$/m);
    expect(run.stdout).toMatch(/^rv\.push_sources\s+unavailable\s+no RV listens for rvpush$/m);
  });

  it('passes the health through with --json', async () => {
    const run = await cli(['node', 'ws-018', '--json'], env);
    expect(JSON.parse(run.stdout)).toMatchObject({
      health: [{ plugin: 'rv', available: true, checked_at: AT, app: { version: '2024.1.0' } }],
      started_at: expect.any(String),
    });
  });
});

describe('openclaw plugins with health', () => {
  it('says on how many nodes each plugin can run', async () => {
    const run = await cli(['plugins'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PLUGIN\s+VERSIONS\s+PLATFORMS\s+NODES\s+AVAILABLE ON\s+ACTIONS$/m);
    expect(run.stdout).toMatch(/^explorer\s+.*\s+ws-017\s+1 of 1 node\s+/m);
    expect(run.stdout).toMatch(/^rv\s+.*\s+ws-017,ws-018\s+1 of 2 nodes\s+/m);
    expect(run.stdout).not.toContain('REASON');
  });

  it('lists each node with its reason with --verbose', async () => {
    const run = await cli(['plugins', '--verbose'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rv\n {2}NODE\s+STATUS\s+APP VERSION\s+REASON$/m);
    expect(run.stdout).toMatch(/^ {2}ws-017\s+unavailable\s+-\s+rv was not found \(looked in/m);
    expect(run.stdout).toMatch(/^ {2}ws-018\s+available\s+2024\.1\.0$/m);
    const short = await cli(['plugins', '-v'], env);
    expect(short.stdout).toBe(run.stdout);
  });

  it('passes availability through with --json', async () => {
    const run = await cli(['plugins', '--json'], env);
    const body = JSON.parse(run.stdout) as { plugins: { name: string; nodes: unknown[] }[] };
    expect(body.plugins.find((p) => p.name === 'rv')!.nodes).toEqual([
      expect.objectContaining({ node_id: 'ws-017', available: false, reason: expect.any(String) }),
      expect.objectContaining({ node_id: 'ws-018', available: true, app_version: '2024.1.0' }),
    ]);
  });
});

describe('rendering helpers', () => {
  it.each([
    [undefined, '-'],
    [-5, '-'],
    [0, '0s'],
    [59, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600 * 3 + 20 * 60, '3h 20m'],
    [86_400 * 4 + 7200, '4d 2h'],
  ])('formats an uptime of %s seconds as %s', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
  });

  it('marks unavailable plugins, including ones the node could not load', () => {
    const node = {
      plugins: ['nuke', 'explorer', 'rv'],
      unavailable: ['rv', 'resolve'],
    } as Parameters<typeof pluginsCell>[0];
    expect(pluginsCell(node)).toBe('explorer,nuke,resolve✗,rv✗');
    expect(pluginsCell({ plugins: [] } as unknown as Parameters<typeof pluginsCell>[0])).toBe('-');
  });
});
