import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthProvider, Principal } from '../../src/index.js';
import {
  api,
  connectAgent,
  OPERATOR_TOKEN,
  startServer,
  TOKEN,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { openSse, type SseMessage, type SseReader } from '../helpers/sse.js';
import { defaultDashboardDir } from '../../src/http/dashboard/dashboard-files.js';

const VIEWER = 'viewer-token-2b8e6d1f';
const SCOPED = 'scoped-token-7a1c3e9d';

let server: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.socket.close();
  await server?.close();
  server = undefined;
});

const dashboardBuilt = defaultDashboardDir() !== undefined;

/** The bytes as sent (gzip not undone), with the response headers. */
function rawGet(url: string): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Read messages until one matches; returns every message read. */
async function readUntil(reader: SseReader, done: (m: SseMessage) => boolean): Promise<SseMessage[]> {
  const seen: SseMessage[] = [];
  for (let m = await reader.next(); m; m = await reader.next()) {
    seen.push(m);
    if (done(m)) return seen;
  }
  throw new Error(`the stream ended first: ${JSON.stringify(seen)}`);
}

interface NodeEvent {
  type: 'node';
  op: string;
  node?: { node_id: string };
  node_id?: string;
}
const nodeOf = (m: SseMessage): string | undefined =>
  m.event === 'node' ? ((m.data as NodeEvent).node?.node_id ?? (m.data as NodeEvent).node_id) : undefined;

describe.skipIf(!dashboardBuilt)('the dashboard page at /', () => {
  it('is served without a token, with a strict CSP and the other page headers', async () => {
    server = await startServer();
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    // No inline script: every <script> loads a file.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const etag = response.headers.get('etag')!;
    const again = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves its assets gzipped, and the API still needs a token', async () => {
    server = await startServer();
    const js = await fetch(`${server.url}/assets/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await api(server.url, '/api/nodes', { token: null })).status).toBe(401);
    expect((await api(server.url, '/assets/other.js', { token: null })).status).toBe(401);
  });

  it('first load (page, script, stylesheet, icon) is at most 150 KB gzipped', async () => {
    server = await startServer();
    const page = await rawGet(`${server.url}/`);
    expect(page.encoding).toBe('gzip');
    const html = gunzipSync(page.body).toString();
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/assets/app.js', '/assets/app.css']));
    let total = page.body.length;
    for (const asset of assets) {
      const answer = await rawGet(`${server.url}${asset}`);
      expect(answer.status, asset).toBe(200);
      expect(answer.encoding, asset).toBe('gzip');
      total += answer.body.length;
    }
    console.log(`dashboard first load: ${(total / 1024).toFixed(1)} KB gzipped (/ and ${assets.join(', ')})`);
    expect(total).toBeLessThanOrEqual(150 * 1024);
  });
});

describe('GET /api/me', () => {
  it('names the caller, its roles and scopes, and the actions it may run on a node', async () => {
    server = await startServer({
      tokens: [
        { name: 'test', token: TOKEN },
        { name: 'viewer', token: VIEWER, roles: ['viewer'] },
        { name: 'operator-only', token: OPERATOR_TOKEN, roles: ['operator'] },
        { name: 'scoped', token: SCOPED, roles: ['operator'], nodes: ['ws-0*'], actions: ['tools.ping'] },
      ],
    });
    agents.push(await connectAgent(server.url, { nodeId: 'ws-001' }));
    const admin = await api(server.url, '/api/me?node=ws-001');
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ name: 'test', can_exec: true, nodes: null, actions: null });
    expect(admin.body.node_actions.actions.length).toBeGreaterThan(1);
    const viewer = await api(server.url, '/api/me?node=ws-001', { token: VIEWER });
    expect(viewer.body).toMatchObject({ name: 'viewer', roles: ['viewer'], can_exec: false });
    expect(viewer.body.node_actions).toEqual({ node_id: 'ws-001', actions: [] });
    const scoped = await api(server.url, '/api/me?node=ws-001', { token: SCOPED });
    expect(scoped.body).toMatchObject({ can_exec: true, nodes: ['ws-0*'], actions: ['tools.ping'] });
    expect(scoped.body.node_actions.actions).toEqual(['tools.ping']);
    expect(JSON.stringify(scoped.body)).not.toContain(SCOPED);
    expect((await api(server.url, '/api/me', { token: null })).status).toBe(401);
  });
});

describe('GET /api/events', () => {
  it('tells nodes coming and going, limited to the nodes the token may see', async () => {
    server = await startServer({
      tokens: [
        { name: 'test', token: TOKEN },
        { name: 'scoped', token: SCOPED, roles: ['viewer'], nodes: ['ws-1*'] },
      ],
    });
    const all = await openSse(server.url, '/api/events');
    const scoped = await openSse(server.url, '/api/events', { token: SCOPED });
    await readUntil(all, (m) => m.event === 'ready');
    await readUntil(scoped, (m) => m.event === 'ready');
    const hidden = await connectAgent(server.url, { nodeId: 'ws-001' });
    agents.push(hidden);
    const first = await readUntil(all, (m) => nodeOf(m) === 'ws-001');
    expect((first.at(-1)!.data as NodeEvent).op).toBe('up');
    hidden.socket.close();
    const down = await readUntil(all, (m) => nodeOf(m) === 'ws-001');
    expect((down.at(-1)!.data as NodeEvent).op).toBe('down');
    agents.push(await connectAgent(server.url, { nodeId: 'ws-101' }));
    const scopedSeen = await readUntil(scoped, (m) => nodeOf(m) === 'ws-101');
    expect(scopedSeen.map(nodeOf).filter(Boolean)).toEqual(['ws-101']);
    all.close();
    scoped.close();
  });

  it('ends with an auth event once the token is no longer valid', async () => {
    const valid = new Set([TOKEN]);
    const auth: AuthProvider = {
      authenticate: (credential): Principal | null =>
        valid.has(credential) ? { name: 'revocable', roles: ['viewer'] } : null,
    };
    server = await startServer({ tokens: [], auth, sseHeartbeatMs: 50 });
    const stream = await openSse(server.url, '/api/events');
    await readUntil(stream, (m) => m.event === 'ready');
    valid.delete(TOKEN);
    await readUntil(stream, (m) => m.event === 'auth');
    expect(await stream.next()).toBeUndefined();
    expect((await api(server.url, '/api/me')).status).toBe(401);
  });
});
