import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, signJwt, startJwksServer, type JwksServer, type SigningKey } from '../auth/jwks-server.js';
import {
  api,
  connectAgent,
  exec,
  startServer,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

const ISSUER = 'https://idp.studio.test/realms/vfx';
const AUDIENCE = 'openclaw-api';
// A static token whose name is a JWT subject too: `ci`.
const CI = 'ci-static-token-q8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8';
const ADMIN = 'admin-static-token-xQ2mZ7pL0vR5nB1cW9dF4gH6jS8';

let key: SigningKey;
let jwks: JwksServer;
let server: TestServer | undefined;
const agents: FakeAgent[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  key = await makeKey('ES256', 'k1');
  jwks = await startJwksServer([key]);
});

afterAll(async () => {
  await jwks.close();
});

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(jwt: Record<string, unknown> = {}, overrides: Parameters<typeof startServer>[0] = {}) {
  server = await startServer({
    tokens: [
      { name: 'ci', token: CI, roles: ['operator'] },
      { name: 'admin', token: ADMIN, roles: ['admin', 'agent'] },
    ],
    jwt: { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, ...jwt },
    ...overrides,
  });
  return server;
}

const jwt = (claims: Record<string, unknown>) => signJwt(key, claims, { issuer: ISSUER, audience: AUDIENCE });

describe('idempotency keys per principal identity', () => {
  it("never replays a static token's job to a JWT whose sub is the token's name", async () => {
    const s = await start();
    const agent = await connectAgent(s.url, { nodeId: 'ws-1', token: ADMIN });
    agents.push(agent);
    const headers = { 'idempotency-key': 'nightly-42' };
    const body = { action: 'tools.ping', params: {} };
    const first = await api(s.url, '/api/nodes/ws-1/exec', { token: CI, body, headers });
    expect(first.status).toBe(200);
    const impostor = await jwt({ sub: 'ci', roles: ['operator'] });
    const second = await api(s.url, '/api/nodes/ws-1/exec', { token: impostor, body, headers });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replay')).toBeNull();
    expect(second.body.command_id).not.toBe(first.body.command_id);
    expect(agent.execs).toHaveLength(2);
    // The key is shown as the caller sent it.
    const job = await api(s.url, `/api/jobs/${second.body.command_id}`, { token: ADMIN });
    expect(job.body.idempotency_key).toBe('nightly-42');
    // Each principal still replays its own job.
    const replay = await api(s.url, '/api/nodes/ws-1/exec', { token: impostor, body, headers });
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(replay.body.command_id).toBe(second.body.command_id);
  });

  it('answers a mismatched replay with a 409 that names nothing of the original', async () => {
    const s = await start();
    agents.push(await connectAgent(s.url, { nodeId: 'ws-1', token: ADMIN }));
    const headers = { 'idempotency-key': 'k-1' };
    const first = await api(s.url, '/api/exec', {
      token: CI,
      headers,
      body: { action: 'tools.ping', target: { nodes: ['ws-1'] }, params: {} },
    });
    expect(first.status).toBe(202);
    const other = await api(s.url, '/api/nodes/ws-1/exec', {
      token: CI,
      headers,
      body: { action: 'tools.ping', params: {} },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const text = JSON.stringify(other.body);
    expect(text).not.toContain(first.body.batch_id as string);
    expect(text).not.toContain(first.body.jobs[0].command_id as string);
    const changed = await api(s.url, '/api/exec', {
      token: CI,
      headers,
      body: { action: 'tools.ping', target: { nodes: ['ws-1'] }, params: {}, timeout: 9 },
    });
    expect(changed.status).toBe(409);
    expect(JSON.stringify(changed.body)).not.toContain(first.body.jobs[0].command_id as string);
    expect(changed.body.error.details).toEqual({ field: 'idempotency-key' });
  });

  it("re-checks the caller's node scope on a replayed fan-out", async () => {
    const s = await start();
    agents.push(await connectAgent(s.url, { nodeId: 'ws-1', token: ADMIN }));
    agents.push(await connectAgent(s.url, { nodeId: 'ws-2', token: ADMIN }));
    const headers = { 'idempotency-key': 'fan-1' };
    const body = { action: 'tools.ping', target: { tags: ['comp'] }, params: {} };
    const wide = await jwt({ sub: 'bot', roles: ['operator'] });
    const first = await api(s.url, '/api/exec', { token: wide, headers, body });
    expect(first.body.jobs).toHaveLength(2);
    // The same principal, now scoped to ws-1 only (its IdP narrowed the claim).
    const narrow = await jwt({ sub: 'bot', roles: ['operator'], openclaw_nodes: ['ws-1'] });
    const replay = await api(s.url, '/api/exec', { token: narrow, headers, body });
    expect(replay.headers.get('idempotent-replay')).toBe('true');
    expect(replay.body.jobs.map((j: { node_id: string }) => j.node_id)).toEqual(['ws-1']);
  });
});

describe('JWT issued-at', () => {
  const futureToken = async (iat: number): Promise<string> =>
    new SignJWT({ sub: 'alice', roles: ['admin'] })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 7200)
      .sign(key.privateKey);

  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    const s = await start();
    const answer = await api(s.url, '/api/nodes', {
      token: await futureToken(Math.floor(Date.now() / 1000) + 3600),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 'AUTH_INVALID', details: { reason: 'not_yet_valid' } });
    expect(
      (await api(s.url, '/api/nodes', { token: await futureToken(Math.floor(Date.now() / 1000) + 5) }))
        .status,
    ).toBe(200);
  });

  it('refuses tokens older than maxTokenAgeS', async () => {
    const s = await start({ maxTokenAgeS: 600 });
    const old = await api(s.url, '/api/nodes', {
      token: await futureToken(Math.floor(Date.now() / 1000) - 3600),
    });
    expect(old.status).toBe(401);
    expect(old.body.error).toMatchObject({ code: 'AUTH_INVALID', details: { reason: 'expired' } });
    expect((await api(s.url, '/api/nodes', { token: await jwt({ roles: ['admin'] }) })).status).toBe(200);
  });
});

describe('the agent gateway and the data directory', () => {
  it('refuses HTTP long-polling on the agent gateway (WebSocket only)', async () => {
    const s = await start();
    const polling = await fetch(`${s.url}/ws/?EIO=4&transport=polling`);
    expect(polling.status).toBe(400);
    expect(await polling.json()).toMatchObject({ message: 'Transport unknown' });
  });

  it('creates jobs.sqlite and its -wal and -shm files 0600', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'openclaw-data-'));
    dirs.push(dataDir);
    const s = await start({}, { store: 'sqlite', dataDir });
    agents.push(await connectAgent(s.url, { nodeId: 'ws-1', token: ADMIN }));
    expect((await exec(s.url, 'ws-1', { action: 'tools.ping', params: {} }, { token: ADMIN })).status).toBe(
      200,
    );
    for (const name of ['jobs.sqlite', 'jobs.sqlite-wal', 'jobs.sqlite-shm']) {
      const info = await stat(path.join(dataDir, name));
      expect({ name, mode: (info.mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
    }
  });
});
