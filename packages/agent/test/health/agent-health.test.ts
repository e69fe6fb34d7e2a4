import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OPENCLAW_VERSION, type NodeHealthEvent, type PluginHealth } from '@openclaw-node/core';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent, type CreateAgentOptions } from '../../src/index.js';
import { startTestServer, type TestServer } from '../connection/test-server.js';
import { healthRegistry, installFakePlayer } from './health-plugins.js';

const TOKEN = 'health-token-3b9f1c0d';
let dir: string;
let agents: Agent[] = [];
let closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-agent-health-'));
  await mkdir(path.join(dir, 'empty-bin'));
});

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await Promise.all(closers.map((close) => close()));
  agents = [];
  closers = [];
  await rm(dir, { recursive: true, force: true });
});

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await later(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function startAgent(
  serverUrl: string,
  config: Record<string, unknown>,
  options: Partial<CreateAgentOptions> = {},
): Agent {
  const agent = createAgent({
    config: resolveAgentConfig(
      { node_id: 'ws-017', server_url: serverUrl, auth_token: TOKEN, allowed_paths: [dir], ...config },
      { env: {} },
    ),
    logger: pino({ level: 'silent' }),
    registry: healthRegistry,
    platform: 'linux',
    backoff: { initialMs: 50, maxMs: 200 },
    // Nothing on PATH: the machine running the tests must not decide what is "installed".
    createRuntime: (runtime) =>
      createProcessRuntime({ ...runtime, env: { PATH: path.join(dir, 'empty-bin') } }),
    ...options,
  });
  agents.push(agent);
  agent.start();
  return agent;
}

/** The agent test server, also recording every `node:health`. */
async function recordingServer(): Promise<TestServer & { events: NodeHealthEvent[] }> {
  const server = await startTestServer({ token: TOKEN });
  closers.push(() => server.close());
  const events: NodeHealthEvent[] = [];
  server.namespace.on('connection', (socket) => socket.on('node:health', (event) => events.push(event)));
  return Object.assign(server, { events });
}

function byPlugin(health: PluginHealth[] | undefined, plugin: string): PluginHealth | undefined {
  return health?.find((h) => h.plugin === plugin);
}

describe('agent capability health with the real server', () => {
  it('shows on /api/nodes/:id that the application of a plugin is not installed, and the agent facts', async () => {
    const server: OpenClawServer = createServer({
      host: '127.0.0.1',
      port: 0,
      tokens: [{ name: 'test', token: TOKEN }],
      logger: pino({ level: 'silent' }),
      store: 'memory',
    });
    const { url } = await server.listen();
    closers.push(() => server.close());
    const { builtinPlugins } = await import('@openclaw-node/plugins');
    const agent = startAgent(
      `${url.replace(/^http/, 'ws')}/ws`,
      { plugins: ['rv'] },
      { registry: builtinPlugins },
    );
    await agent.ready;

    const api = async (route: string) => {
      const response = await fetch(url + route, { headers: { authorization: `Bearer ${TOKEN}` } });
      return (await response.json()) as Record<string, unknown>;
    };
    const detail = await until(async () => {
      const body = await api('/api/nodes/ws-017');
      return Array.isArray(body.health) && body.health.length > 0 ? body : undefined;
    }, 'the node health');
    expect(detail.health).toEqual([
      {
        plugin: 'rv',
        available: false,
        reason: expect.stringMatching(/^rv was not found \(looked in .*\)$/),
        checked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(detail).toMatchObject({
      agent_version: OPENCLAW_VERSION,
      os: `${os.type()} ${os.release()}`,
      unavailable: ['rv'],
      apps: {},
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(detail.uptime_s).toEqual(expect.any(Number));

    const plugins = await api('/api/plugins/rv');
    expect(plugins.nodes).toEqual([
      expect.objectContaining({
        node_id: 'ws-017',
        available: false,
        reason: expect.stringMatching(/^rv was not found/),
      }),
    ]);
  });
});

describe('agent capability health over the protocol', () => {
  it('sends startedAt, os and the first checks in hello', async () => {
    const server = await recordingServer();
    const agent = startAgent(server.url, { plugins: ['player', 'farm', 'silent', 'winexplorer'] });
    await agent.ready;
    const hello = server.hellos[0]!;
    expect(hello.os).toBe(`${os.type()} ${os.release()}`);
    expect(Date.parse(hello.startedAt!)).not.toBeNaN();
    expect(hello.health!.map((h) => [h.plugin, h.available])).toEqual([
      ['farm', true],
      ['player', false],
      ['silent', true],
      ['winexplorer', false],
    ]);
    expect(byPlugin(hello.health, 'winexplorer')!.reason).toBe(
      'platform unsupported (supports windows only; this node runs linux)',
    );
  });

  it('does not hold the first hello for a slow check, and follows with node:health', async () => {
    const server = await recordingServer();
    const agent = startAgent(
      server.url,
      { plugins: ['farm', 'hung'] },
      { health: { timeoutMs: 2500, helloWaitMs: 500 } },
    );
    await agent.ready;
    expect(server.hellos[0]!.health!.map((h) => h.plugin)).toEqual(['farm']);
    const event = await until(() => server.events[0], 'node:health');
    expect(event.health.map((h) => h.plugin)).toEqual(['farm', 'hung']);
    expect(byPlugin(event.health, 'hung')).toMatchObject({
      available: true,
      reason: expect.stringContaining('TIMEOUT: hung.ping did not finish within 2500 ms'),
    });
  });

  it('re-checks on its interval and sends node:health only when something changed', async () => {
    const server = await recordingServer();
    const exe = path.join(dir, 'opt', 'player');
    const agent = startAgent(
      server.url,
      { plugins: ['player', 'farm'], plugin_config: { player: { path: exe } } },
      { health: { intervalMs: 50 } },
    );
    await agent.ready;
    expect(byPlugin(server.hellos[0]!.health, 'player')).toMatchObject({ available: false });

    // Several rounds with nothing new: nothing is sent.
    await later(400);
    expect(server.events).toEqual([]);

    await installFakePlayer(path.dirname(exe), '7.2.1');
    const event = await until(() => server.events[0], 'node:health after the player was installed');
    expect(byPlugin(event.health, 'player')).toEqual({
      plugin: 'player',
      available: true,
      app: { path: exe, version: '7.2.1' },
      checkedAt: expect.any(String),
    });
    await later(400);
    expect(server.events).toHaveLength(1);

    // After a reconnect, the hello carries the current health and no node:health repeats it.
    server.sockets[0]!.disconnect(true);
    const { payload } = await server.helloNumber(2);
    expect(byPlugin(payload.health, 'player')).toMatchObject({ available: true });
    await later(300);
    expect(server.events).toHaveLength(1);
  });
});
