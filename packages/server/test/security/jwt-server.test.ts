import type { RevokedNotice } from '@openclaw-node/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, signJwt, startJwksServer, type JwksServer, type SigningKey } from '../auth/jwks-server.js';
import {
  api,
  connectAgent,
  exec,
  startServer,
  TOKEN,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

const ISSUER = 'https://idp.studio.test/realms/vfx';
const AUDIENCE = 'openclaw-api';

let key: SigningKey;
let jwks: JwksServer;
let server: TestServer | undefined;
const agents: FakeAgent[] = [];

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
});

async function start(jwksUrl = jwks.url): Promise<TestServer> {
  server = await startServer({ jwt: { issuer: ISSUER, audience: AUDIENCE, jwksUrl, jwksTimeoutMs: 500 } });
  return server;
}

const jwt = (claims: Record<string, unknown>, options: Parameters<typeof signJwt>[2] = {}) =>
  signJwt(key, claims, { issuer: ISSUER, audience: AUDIENCE, ...options });

describe('JWT bearer tokens on a server', () => {
  it('lets a viewer JWT read, refuses it exec, and keeps static tokens working beside it', async () => {
    const s = await start();
    agents.push(await connectAgent(s.url, { nodeId: 'ws-1' }));
    const viewer = await jwt({ sub: 'alice', scope: 'openid openclaw:read' });
    expect((await api(s.url, '/api/nodes', { token: viewer })).body.count).toBe(1);
    const run = await exec(s.url, 'ws-1', { action: 'tools.ping' }, { token: viewer });
    expect(run.status).toBe(403);
    expect(run.body.error.details).toMatchObject({ token: 'alice' });
    const operator = await jwt({ sub: 'ci-bot', roles: ['operator'], openclaw_nodes: ['ws-*'] });
    expect((await exec(s.url, 'ws-1', { action: 'tools.ping' }, { token: operator })).status).toBe(200);
    expect((await api(s.url, '/api/nodes', { token: TOKEN })).status).toBe(200);
  });

  it('answers 401 with the reason for another audience or an expired token', async () => {
    const s = await start();
    const other = await api(s.url, '/api/nodes', {
      token: await jwt({ roles: ['admin'] }, { audience: 'x' }),
    });
    expect(other.status).toBe(401);
    expect(other.body.error).toMatchObject({ code: 'AUTH_INVALID', details: { reason: 'audience' } });
    const old = await api(s.url, '/api/nodes', {
      token: await jwt({ roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 3600 }),
    });
    expect(old.body.error.details).toEqual({ reason: 'expired' });
  });

  it('answers 401, not 500, while the JWKS endpoint is down', async () => {
    const down = await startJwksServer([key]);
    const url = down.url;
    await down.close();
    const s = await start(url);
    const { status, body } = await api(s.url, '/api/nodes', { token: await jwt({ roles: ['admin'] }) });
    expect(status).toBe(401);
    expect(body.error.details).toEqual({ reason: 'keys_unavailable' });
    expect(s.logs.some((l) => String(l.msg).startsWith('cannot fetch the JWKS'))).toBe(true);
  });

  it('disconnects an agent when the JWT it connected with expires', async () => {
    const s = await start();
    const token = await jwt({ sub: 'ws-9', roles: ['agent'], openclaw_nodes: ['ws-9'] }, { expiresIn: '2s' });
    const agent = await connectAgent(s.url, { nodeId: 'ws-9', token });
    agents.push(agent);
    const notices: RevokedNotice[] = [];
    agent.socket.on('session:revoked', (n) => notices.push(n));
    expect(agent.helloAck).toMatchObject({ ok: true });
    await waitFor(() => (agent.connected ? undefined : true), 'the expiry', 10_000);
    expect(notices).toEqual([{ code: 'AUTH_INVALID', reason: 'The token of this agent has expired' }]);
  });
});
