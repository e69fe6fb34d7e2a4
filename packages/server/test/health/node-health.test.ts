import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  startServer,
  toolsManifest,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { CHECKED_AT, playerManifest, rvInstalled, rvMissing, toolsOk } from './health-fixtures.js';

let server: TestServer | undefined;
let agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents) agent.close();
  agents = [];
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  server = await startServer(options);
  return server;
}

async function agent(url: string, options: Parameters<typeof connectAgent>[1] = {}): Promise<FakeAgent> {
  const a = await connectAgent(url, options);
  agents.push(a);
  expect(a.helloAck).toMatchObject({ ok: true, serverVersion: expect.any(String) });
  return a;
}

const HOUR_AGO = () => new Date(Date.now() - 3600_000).toISOString();

describe('node facts and health from hello', () => {
  it('lists uptime, OS, application versions and unavailable plugins in /api/nodes', async () => {
    const s = await start();
    await agent(s.url, {
      hello: {
        plugins: [toolsManifest(), playerManifest()],
        startedAt: HOUR_AGO(),
        os: 'Linux 6.8.0-45-generic',
        health: [rvMissing(), toolsOk()],
      },
    });
    const { status, body } = await api(s.url, '/api/nodes');
    expect(status).toBe(200);
    const node = body.nodes[0];
    expect(node).toMatchObject({
      node_id: 'ws-001',
      agent_version: '0.1.0',
      os: 'Linux 6.8.0-45-generic',
      apps: {},
      unavailable: ['rv'],
    });
    expect(node.uptime_s).toBeGreaterThanOrEqual(3600);
    expect(node.uptime_s).toBeLessThan(3600 + 60);
  });

  it('shows the full health and the start time in /api/nodes/:id, snake_case', async () => {
    const s = await start();
    const startedAt = HOUR_AGO();
    await agent(s.url, {
      hello: {
        plugins: [toolsManifest(), playerManifest()],
        startedAt,
        os: 'Windows_NT 10.0.22631',
        health: [
          toolsOk(),
          rvInstalled({
            actions: { push_sources: { available: false, reason: 'no RV listens for rvpush' } },
          }),
        ],
      },
    });
    const { body } = await api(s.url, '/api/nodes/ws-001');
    expect(body.started_at).toBe(startedAt);
    expect(body.os).toBe('Windows_NT 10.0.22631');
    expect(body.apps).toEqual({ rv: { path: '/opt/rv-2024.1/bin/rv', version: '2024.1.0' } });
    expect(body.unavailable).toEqual([]);
    expect(body.health).toEqual([
      {
        plugin: 'rv',
        available: true,
        app: { path: '/opt/rv-2024.1/bin/rv', version: '2024.1.0' },
        actions: { push_sources: { available: false, reason: 'no RV listens for rvpush' } },
        checked_at: CHECKED_AT,
      },
      { plugin: 'tools', available: true, checked_at: CHECKED_AT },
    ]);
  });

  it('adds availability, reason and application version per node to /api/plugins', async () => {
    const s = await start();
    await agent(s.url, {
      nodeId: 'ws-001',
      hello: { plugins: [playerManifest()], health: [rvMissing()] },
    });
    await agent(s.url, {
      nodeId: 'ws-002',
      hello: { plugins: [playerManifest()], health: [rvInstalled()] },
    });
    await agent(s.url, { nodeId: 'ws-003', hello: { plugins: [playerManifest()] } });
    const { body } = await api(s.url, '/api/plugins/rv');
    expect(body.nodes).toEqual([
      {
        node_id: 'ws-001',
        version: '1.0.0',
        platform: 'linux',
        available: false,
        reason: 'rv was not found (looked in /opt/rv/bin/rv, PATH)',
      },
      { node_id: 'ws-002', version: '1.0.0', platform: 'linux', available: true, app_version: '2024.1.0' },
      { node_id: 'ws-003', version: '1.0.0', platform: 'linux' },
    ]);
  });

  it('serves an agent that sends no facts or health (an older agent) without them', async () => {
    const s = await start();
    await agent(s.url);
    const { body } = await api(s.url, '/api/nodes/ws-001');
    expect(body).not.toHaveProperty('uptime_s');
    expect(body).not.toHaveProperty('os');
    expect(body).not.toHaveProperty('started_at');
    expect(body).toMatchObject({ apps: {}, unavailable: [], health: [] });
  });

  it('refuses a hello whose health is malformed, naming the field', async () => {
    const s = await start();
    const a = await connectAgent(s.url, {
      hello: { health: [toolsOk(), { plugin: 'rv', available: 'no', checkedAt: CHECKED_AT }] },
    });
    agents.push(a);
    expect(a.helloAck).toEqual({
      ok: false,
      error: {
        code: 'INVALID_BODY',
        message: 'hello.health[1].available must be true or false',
        details: { field: 'hello.health[1].available' },
      },
    });
  });

  it.each([
    [{ startedAt: 'yesterday' }, 'hello.startedAt'],
    [{ os: 42 }, 'hello.os'],
    [{ health: {} }, 'hello.health'],
    [{ health: [{ ...toolsOk(), plugin: '../etc' }] }, 'hello.health[0].plugin'],
    [{ health: [toolsOk(), toolsOk()] }, 'hello.health[1].plugin'],
    [{ health: [{ ...toolsOk(), app: { version: '1.0' } }] }, 'hello.health[0].app.path'],
    [{ health: [{ ...toolsOk(), actions: { 'Bad Name': { available: true } } }] }, 'hello.health[0].actions'],
    [{ health: [{ ...toolsOk(), checkedAt: undefined }] }, 'hello.health[0].checkedAt'],
    [{ health: Array.from({ length: 400 }, (_, i) => ({ ...toolsOk(), plugin: `p${i}` })) }, 'hello.health'],
  ])('refuses hello fields of the wrong shape: %j', async (hello, field) => {
    const s = await start();
    const a = await connectAgent(s.url, { hello });
    agents.push(a);
    expect(a.helloAck).toMatchObject({ ok: false, error: { code: 'INVALID_BODY', details: { field } } });
  });

  it('cuts long reasons, versions and OS names to their limits', async () => {
    const s = await start();
    await agent(s.url, {
      hello: {
        plugins: [toolsManifest(), playerManifest()],
        os: `Linux ${'9'.repeat(500)}`,
        health: [
          rvInstalled({ reason: 'x'.repeat(5000), app: { path: '/opt/rv', version: 'v'.repeat(900) } }),
        ],
      },
    });
    const { body } = await api(s.url, '/api/nodes/ws-001');
    expect(body.os).toHaveLength(128);
    expect(body.health[0].reason).toHaveLength(1000);
    expect(body.health[0].reason.endsWith('…')).toBe(true);
    expect(body.health[0].app.version).toHaveLength(128);
  });
});

describe('node:health', () => {
  it('replaces the node health and invalidates the cached /api/plugins', async () => {
    const s = await start();
    const a = await agent(s.url, {
      hello: { plugins: [toolsManifest(), playerManifest()], health: [rvMissing(), toolsOk()] },
    });
    const before = await api(s.url, '/api/plugins/rv');
    expect(before.body.nodes[0]).toMatchObject({ available: false });

    a.socket.emit('node:health', {
      health: [rvInstalled({ checkedAt: '2025-03-01T10:05:00.000Z' }), toolsOk()],
    });
    const after = await waitFor(async () => {
      const { body } = await api<{ nodes: Record<string, unknown>[] }>(s.url, '/api/plugins/rv');
      return body.nodes[0]!.available === true ? body : undefined;
    }, 'the catalog to show rv available');
    expect(after.nodes[0]).toEqual({
      node_id: 'ws-001',
      version: '1.0.0',
      platform: 'linux',
      available: true,
      app_version: '2024.1.0',
    });
    const { body: nodes } = await api(s.url, '/api/nodes');
    expect(nodes.nodes[0]).toMatchObject({
      unavailable: [],
      apps: { rv: { path: '/opt/rv-2024.1/bin/rv', version: '2024.1.0' } },
    });
    const { body: detail } = await api(s.url, '/api/nodes/ws-001');
    expect(detail.health[0]).toMatchObject({ plugin: 'rv', checked_at: '2025-03-01T10:05:00.000Z' });
    expect(s.logs.some((l) => l.msg === 'node capability health changed')).toBe(true);
  });

  it('drops a malformed node:health and keeps the health it had', async () => {
    const s = await start();
    const a = await agent(s.url, {
      hello: { plugins: [toolsManifest(), playerManifest()], health: [rvMissing()] },
    });
    a.socket.emit('node:health', { health: [{ plugin: 'rv', available: true }] } as never);
    a.socket.emit('node:health', 'not an object' as never);
    await waitFor(
      () =>
        s.logs.filter((l) => l.msg === 'dropped a malformed node:health event').length === 2
          ? true
          : undefined,
      'both events to be dropped',
    );
    const dropped = s.logs.find((l) => l.msg === 'dropped a malformed node:health event');
    expect(dropped).toMatchObject({ reason: 'node:health.health[0].checkedAt must be a string' });
    const { body } = await api(s.url, '/api/nodes/ws-001');
    expect(body.unavailable).toEqual(['rv']);
  });

  it('ignores node:health from a connection whose hello was not accepted', async () => {
    const s = await start();
    const { openAgentSocket } = await import('@openclaw-node/test-support/server');
    const { TOKEN } = await import('@openclaw-node/test-support/server');
    const { socket } = await openAgentSocket(s.url, { token: TOKEN, nodeId: 'ws-009', protocol: 1 });
    try {
      socket.emit('node:health', { health: [rvInstalled()] });
      const nodes = await api(s.url, '/api/nodes');
      expect(nodes.body.count).toBe(0);
      // The next connection's hello starts from what it says, not from the stray event.
      const a = await agent(s.url, { nodeId: 'ws-010', hello: { plugins: [playerManifest()] } });
      expect(a.connected).toBe(true);
      const { body } = await api(s.url, '/api/nodes/ws-010');
      expect(body.health).toEqual([]);
    } finally {
      socket.close();
    }
  });
});

describe('last_seen_at', () => {
  it('moves on with Socket.IO ping/pong alone, with no application traffic', async () => {
    const s = await start({ pingIntervalMs: 50, pingTimeoutMs: 1000 });
    await agent(s.url);
    const first = (await api(s.url, '/api/nodes')).body.nodes[0].last_seen_at as string;
    const later = await waitFor(async () => {
      const seen = (await api(s.url, '/api/nodes')).body.nodes[0].last_seen_at as string;
      return Date.parse(seen) > Date.parse(first) ? seen : undefined;
    }, 'last_seen_at to advance');
    expect(Date.parse(later)).toBeGreaterThan(Date.parse(first));
  });
});
