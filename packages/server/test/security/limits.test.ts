import { PROTOCOL_VERSION } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  openAgentSocket,
  startServer,
  TOKEN,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

let server: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  server = await startServer(overrides);
  return server;
}

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });

describe('failed authentications per address', () => {
  it('answers 429 RATE_LIMITED with Retry-After once an address failed too often, even for a good token', async () => {
    const s = await start({ limits: { authFailuresPerMinute: 3 } });
    for (let i = 0; i < 3; i += 1)
      expect((await api(s.url, '/api/nodes', { token: `wrong-${i}` })).status).toBe(401);
    const blocked = await api(s.url, '/api/nodes', { token: 'wrong-again' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retry_after_s: expect.any(Number) },
    });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api(s.url, '/api/nodes', { token: TOKEN })).status).toBe(429);
    expect((await api(s.url, '/api/health', { token: null })).status).toBe(200);
    const line = s.logs.find((l) => String(l.msg).startsWith('too many failed authentications'));
    expect(line).toMatchObject({ address: '127.0.0.1', channel: 'rest' });
  });

  it('counts failed agent handshakes too, and refuses the address with a retryable RATE_LIMITED', async () => {
    const s = await start({ limits: { authFailuresPerMinute: 2 } });
    const attempt = async (token: string): Promise<string | undefined> => {
      const { socket, error } = await openAgentSocket(s.url, {
        token,
        nodeId: 'ws-1',
        protocol: PROTOCOL_VERSION,
      });
      socket.close();
      return error?.data?.code as string | undefined;
    };
    expect(await attempt('nope-1')).toBe('AUTH_INVALID');
    expect(await attempt('nope-2')).toBe('AUTH_INVALID');
    expect(await attempt(TOKEN)).toBe('RATE_LIMITED');
    expect((await api(s.url, '/api/nodes')).status).toBe(429);
  });

  it('uses X-Forwarded-For only behind a trusted proxy', async () => {
    const s = await start({ limits: { authFailuresPerMinute: 2 }, trustProxy: true });
    const from = (address: string, token: string) =>
      api(s.url, '/api/nodes', { token, headers: { 'x-forwarded-for': address } });
    await from('198.51.100.1', 'bad-1');
    await from('198.51.100.1', 'bad-2');
    expect((await from('198.51.100.1', TOKEN)).status).toBe(429);
    expect((await from('198.51.100.2', TOKEN)).status).toBe(200);
    // A client cannot pick its address: the proxy's own entry (the last) is the one believed.
    expect((await from('198.51.100.2, 198.51.100.1', TOKEN)).status).toBe(429);
  });

  it('ignores X-Forwarded-For without trustProxy', async () => {
    const s = await start({ limits: { authFailuresPerMinute: 2 } });
    await api(s.url, '/api/nodes', { token: 'bad-1', headers: { 'x-forwarded-for': '198.51.100.1' } });
    await api(s.url, '/api/nodes', { token: 'bad-2', headers: { 'x-forwarded-for': '198.51.100.2' } });
    const other = await api(s.url, '/api/nodes', { headers: { 'x-forwarded-for': '198.51.100.3' } });
    expect(other.status).toBe(429);
  });
});

describe('exec limits', () => {
  it('limits execs per token with 429 and Retry-After, without sending anything', async () => {
    const s = await start({ limits: { execRatePerMinute: 6, execBurst: 2 } });
    const agent = await connectAgent(s.url);
    agents.push(agent);
    expect((await exec(s.url, 'ws-001', { action: 'tools.ping' })).status).toBe(200);
    expect((await exec(s.url, 'ws-001', { action: 'tools.ping' })).status).toBe(200);
    const limited = await exec(s.url, 'ws-001', { action: 'tools.ping' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { token: 'test' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(agent.execs).toHaveLength(2);
    const fan = await api(s.url, '/api/exec', { body: { target: { all: true }, action: 'tools.ping' } });
    expect(fan.status).toBe(429);
  });

  it('refuses params nested deeper than the limit before any schema sees them', async () => {
    const s = await start();
    const agent = await connectAgent(s.url);
    agents.push(agent);
    const deep = await exec(s.url, 'ws-001', {
      action: 'tools.render',
      params: { script: '/x.nk', frames: nested(40) },
    });
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.frames', max_depth: 32 },
    });
    expect(agent.execs).toEqual([]);
  });
});

describe('socket message size', () => {
  it('drops an agent whose message is over the cap and keeps serving others', async () => {
    const s = await start({ limits: { maxSocketMessageBytes: 64 * 1024 } });
    const { socket, error } = await openAgentSocket(s.url, {
      token: TOKEN,
      nodeId: 'ws-big',
      protocol: PROTOCOL_VERSION,
    });
    expect(error).toBeUndefined();
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('hello', { nodeId: 'ws-big', pad: 'x'.repeat(200 * 1024) } as never, () => undefined);
    expect(await closed).toMatch(/transport/);
    socket.close();
    const ok = await connectAgent(s.url, { nodeId: 'ws-ok' });
    agents.push(ok);
    expect(ok.helloAck).toMatchObject({ ok: true });
  });
});
