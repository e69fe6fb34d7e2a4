import { OPENCLAW_VERSION } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  AGENT_TOKEN,
  api,
  OPERATOR_TOKEN,
  startServer,
  toolsManifest,
  waitFor,
  windowsOnlyManifest,
} from '@openclaw-node/test-support/server';
import { useTestServer } from './helpers/server.js';

const t = useTestServer();
const agent = t.agent;

describe('GET /api/health', () => {
  it('answers without a token', async () => {
    const { status, body } = await api(t.url, '/api/health', { token: null });
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ok',
      version: OPENCLAW_VERSION,
      nodes_connected: 0,
      pending_commands: 0,
      uptime_s: expect.any(Number),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The Python original's field: the server's clock now, in UTC.
    expect(Math.abs(Date.parse(body.timestamp) - Date.now())).toBeLessThan(60_000);
  });

  it('counts connected nodes', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    await agent(t.url, { nodeId: 'ws-002' });
    expect((await api(t.url, '/api/health', { token: null })).body.nodes_connected).toBe(2);
  });
});

describe('auth on REST', () => {
  it('answers 401 AUTH_REQUIRED without a token, with a WWW-Authenticate header', async () => {
    const { status, body, headers } = await api(t.url, '/api/nodes', { token: null });
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 'error', error: { code: 'AUTH_REQUIRED' } });
    expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 AUTH_INVALID for a wrong token', async () => {
    const { status, body } = await api(t.url, '/api/plugins', { token: 'nope' });
    expect(status).toBe(401);
    expect(body.error.code).toBe('AUTH_INVALID');
  });

  it('answers 401 AUTH_INVALID for another scheme than Bearer', async () => {
    const { status, body } = await api(t.url, '/api/nodes', {
      token: null,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(status).toBe(401);
    expect(body.error.code).toBe('AUTH_INVALID');
  });

  it('answers 403 FORBIDDEN for a token without the operator role', async () => {
    const { status, body } = await api(t.url, '/api/nodes', { token: AGENT_TOKEN });
    expect(status).toBe(403);
    expect(body.error.code).toBe('FORBIDDEN');
  });

  it('accepts an operator-only token', async () => {
    expect((await api(t.url, '/api/nodes', { token: OPERATOR_TOKEN })).status).toBe(200);
  });

  it('requires a token on unknown routes and on routes spelled in another case', async () => {
    expect((await api(t.url, '/api/nope', { token: null })).status).toBe(401);
    expect((await api(t.url, '/API/NODES', { token: null })).status).toBe(401);
    expect((await api(t.url, '/nope', { token: null })).status).toBe(401);
    // `/` itself is the dashboard page, public by design: see test/dashboard/dashboard-routes.test.ts.
  });

  it('never logs the token', async () => {
    await api(t.url, '/api/nodes');
    await api(t.url, '/api/nodes', { token: 'a-wrong-secret-value' });
    const text = JSON.stringify(t.logs);
    expect(text).toContain('/api/nodes');
    expect(text).not.toContain('test-token');
    expect(text).not.toContain('a-wrong-secret-value');
  });
});

describe('GET /api/nodes', () => {
  it('lists connected nodes with their plugins, sorted by id', async () => {
    await agent(t.url, { nodeId: 'ws-b' });
    await agent(t.url, { nodeId: 'ws-a', hello: { platform: 'windows', tags: ['lighting'] } });
    const { status, body } = await api(t.url, '/api/nodes');
    expect(status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['ws-a', 'ws-b']);
    expect(body.nodes[0]).toEqual({
      node_id: 'ws-a',
      hostname: 'ws-a.studio.lan',
      platform: 'windows',
      arch: 'x64',
      agent_version: '0.1.0',
      tags: ['lighting'],
      plugins: ['tools'],
      status: 'online',
      connected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last_seen_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      pending_commands: 0,
      apps: {},
      unavailable: [],
    });
  });

  it('drops a node when its agent disconnects', async () => {
    const a = await agent(t.url, { nodeId: 'ws-gone' });
    a.close();
    await waitFor(
      async () => ((await api(t.url, '/api/nodes')).body.count === 0 ? true : undefined),
      'node removal',
    );
  });
});

describe('GET /api/nodes/:id', () => {
  it('shows manifests, skipped plugins and pending jobs', async () => {
    await agent(t.url, {
      nodeId: 'ws-001',
      hello: {
        skipped: [{ name: 'resolve', reason: 'supports windows, darwin only; this node runs linux' }],
      },
    });
    const { status, body } = await api(t.url, '/api/nodes/ws-001');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      node_id: 'ws-001',
      manifests: [toolsManifest()],
      skipped_plugins: [{ name: 'resolve', reason: 'supports windows, darwin only; this node runs linux' }],
      pending_jobs: [],
    });
  });

  it("carries the Python original's last_heartbeat beside last_seen_at (the same instant)", async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const { body } = await api(t.url, '/api/nodes/ws-001');
    expect(body.last_heartbeat).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.last_heartbeat).toBe(body.last_seen_at);
  });

  it('answers 404 NODE_NOT_FOUND for an unknown node', async () => {
    const { status, body } = await api(t.url, '/api/nodes/ws-404');
    expect(status).toBe(404);
    expect(body).toMatchObject({
      status: 'error',
      error: { code: 'NODE_NOT_FOUND', details: { node_id: 'ws-404' } },
    });
  });
});

describe('GET /api/plugins', () => {
  it('merges a plugin across nodes with different versions, newest first', async () => {
    const older = toolsManifest({ version: '1.2.0', description: 'Old tools', platforms: ['linux'] });
    const newer = toolsManifest({
      version: '1.10.0',
      description: 'New tools',
      platforms: ['windows', 'linux'],
    });
    const { render: _dropped, ...newerActions } = newer.actions;
    newer.actions = newerActions;
    await agent(t.url, { nodeId: 'ws-old', hello: { plugins: [older] } });
    await agent(t.url, {
      nodeId: 'ws-new',
      hello: { platform: 'windows', plugins: [newer, windowsOnlyManifest()] },
    });
    const { status, body } = await api(t.url, '/api/plugins');
    expect(status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.plugins.map((p: { name: string }) => p.name)).toEqual(['resolve', 'tools']);
    const tools = body.plugins[1];
    expect(tools).toEqual({
      name: 'tools',
      description: 'New tools',
      versions: ['1.10.0', '1.2.0'],
      platforms: ['windows', 'linux'],
      actions: newer.actions,
      nodes: [
        { node_id: 'ws-new', version: '1.10.0', platform: 'windows' },
        { node_id: 'ws-old', version: '1.2.0', platform: 'linux' },
      ],
    });
  });

  it('is rebuilt when a node leaves', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    expect((await api(t.url, '/api/plugins')).body.count).toBe(1);
    a.close();
    await waitFor(
      async () => ((await api(t.url, '/api/plugins')).body.count === 0 ? true : undefined),
      'catalog update',
    );
  });

  it('serves one plugin at /api/plugins/:name and 404 PLUGIN_NOT_FOUND for an unknown one', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    expect((await api(t.url, '/api/plugins/tools')).body).toMatchObject({
      name: 'tools',
      versions: ['1.0.0'],
    });
    const missing = await api(t.url, '/api/plugins/houdini');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PLUGIN_NOT_FOUND');
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 ROUTE_NOT_FOUND as JSON', async () => {
    const { status, body } = await api(t.url, '/api/nodes/ws-001/unknown');
    expect(status).toBe(404);
    expect(body).toMatchObject({ status: 'error', error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('answers 405 METHOD_NOT_ALLOWED with an Allow header', async () => {
    const { status, body, headers } = await api(t.url, '/api/nodes', { method: 'DELETE' });
    expect(status).toBe(405);
    expect(body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(headers.get('allow')).toContain('GET');
  });
});

describe('internal errors', () => {
  it('answers 500 INTERNAL_ERROR without the internal message, and logs it', async () => {
    const broken = await startServer({
      auth: {
        authenticate() {
          throw new Error('database password is hunter2');
        },
      },
    });
    try {
      const { status, body } = await api(broken.url, '/api/nodes');
      expect(status).toBe(500);
      expect(body).toEqual({ status: 'error', error: { code: 'INTERNAL_ERROR', message: 'Internal error' } });
      expect(JSON.stringify(broken.logs)).toContain('hunter2');
    } finally {
      await broken.close();
    }
  });
});

describe('custom auth providers', () => {
  it('accepts a provider that answers through any thenable, not only a native Promise', async () => {
    // What a provider written in JavaScript, or a promise from another realm, may hand back.
    const thenable = <T>(value: T): Promise<T> =>
      ({
        then: (resolve: (v: T) => unknown) => Promise.resolve(resolve(value)),
      }) as unknown as Promise<T>;
    const custom = await startServer({
      auth: {
        authenticate: (credential) =>
          thenable(credential === 'studio-sso-token' ? { name: 'sso:ann', roles: ['viewer'] } : null),
      },
    });
    try {
      const seen = await api(custom.url, '/api/nodes', { token: 'studio-sso-token' });
      expect(seen.status).toBe(200);
      const refused = await api(custom.url, '/api/nodes', { token: 'someone-elses-token' });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: { code: 'AUTH_INVALID' } });
    } finally {
      await custom.close();
    }
  });
});
