import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOpenClawError } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenClawApiError, createClient, normalizeServerUrl } from '../src/index.js';
import { PING_MANIFEST, connectFakeAgent } from './fake-agent.js';

const TOKEN = 'client-test-token-5e8a';
let server: OpenClawServer;
let url: string;
let agent: Awaited<ReturnType<typeof connectFakeAgent>>;

beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'test', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    ackGraceMs: 100,
    store: 'memory',
  });
  ({ url } = await server.listen());
  agent = await connectFakeAgent(url, TOKEN, 'ws-001', (request) => {
    if (request.action === 'tools.ping') return { ok: true, result: { pong: true } };
    if (request.params.path === '/slow') return 'never';
    return {
      ok: false,
      error: { code: 'PATH_NOT_FOUND', message: 'No such folder: /nope', details: { field: 'params.path' } },
    };
  });
});

afterAll(async () => {
  agent?.socket.close();
  await server?.close();
});

/** A plain HTTP server answering every request with `handler` (or never). */
async function rawServer(
  handler: ((res: ServerResponse) => void) | null,
): Promise<{ url: string; close: () => Promise<void> }> {
  const http: Server = createHttpServer((_req, res) => handler?.(res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

/** The rejection of `promise`, as a record to match against. */
async function caught(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('createClient against a real server', () => {
  const client = () => createClient({ server: url, token: TOKEN });

  it('reads health without a token', async () => {
    const health = await createClient({ server: url }).health();
    expect(health).toMatchObject({ status: 'ok', nodes_connected: 1 });
  });

  it('lists nodes, one node and the plugin catalog', async () => {
    expect((await client().nodes()).nodes.map((n) => n.node_id)).toEqual(['ws-001']);
    expect((await client().node('ws-001')).manifests).toEqual([PING_MANIFEST]);
    const plugins = await client().plugins();
    expect(plugins.count).toBe(1);
    expect((await client().plugin('tools')).versions).toEqual(['1.0.0']);
  });

  it('runs an action and returns the success body', async () => {
    const response = await client().exec('ws-001', { action: 'tools.ping' });
    expect(response).toMatchObject({ status: 'success', node_id: 'ws-001', result: { pong: true } });
  });

  it('throws OpenClawApiError with code, message, details, status and command id for an error answer', async () => {
    const error = await caught(
      client().exec('ws-001', { action: 'tools.open_folder', params: { path: '/nope' } }),
    );
    expect(error).toBeInstanceOf(OpenClawApiError);
    expect(isOpenClawError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'PATH_NOT_FOUND',
      message: 'No such folder: /nope',
      details: { field: 'params.path' },
      status: 422,
      httpStatus: 422,
      commandId: expect.any(String),
    });
  });

  it.each([
    ['a missing token', { token: undefined }, 'AUTH_REQUIRED', 401],
    ['a wrong token', { token: 'nope' }, 'AUTH_INVALID', 401],
  ])('throws for %s', async (_label, change, code, status) => {
    const error = await caught(createClient({ server: url, ...change }).nodes());
    expect(error).toMatchObject({ code, httpStatus: status });
  });

  it('throws NODE_NOT_FOUND for an unknown node and escapes the id', async () => {
    const error = await caught(client().node('ws/../../api/health'));
    expect(error).toMatchObject({ code: 'NODE_NOT_FOUND', httpStatus: 404 });
  });

  it('aborts an exec with the caller signal, which cancels the job on the node', async () => {
    const controller = new AbortController();
    const pending = client().exec(
      'ws-001',
      { action: 'tools.open_folder', params: { path: '/slow' }, timeout: 600 },
      { signal: controller.signal },
    );
    const deadline = Date.now() + 5000;
    while (!agent.execs.some((e) => e.params.path === '/slow') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pending).rejects.toThrow();
    const jobId = agent.execs.find((e) => e.params.path === '/slow')!.jobId;
    while (!agent.cancels.includes(jobId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(agent.cancels).toContain(jobId);
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    await createClient({ server: `${url}/`, token: TOKEN, fetch: counting }).nodes();
    expect(calls).toEqual([`${url}/api/nodes`]);
  });
});

describe('createClient failures', () => {
  it('throws SERVER_UNREACHABLE naming the URL when nothing listens', async () => {
    const gone = await rawServer(null);
    await gone.close();
    const error = await caught(createClient({ server: gone.url }).health());
    expect(error).toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringContaining(gone.url) });
  });

  it('throws REQUEST_TIMEOUT when the server does not answer in time', async () => {
    const silent = await rawServer(null);
    try {
      const error = await caught(createClient({ server: silent.url, timeoutMs: 100 }).health());
      expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    } finally {
      await silent.close();
    }
  });

  it('throws INVALID_RESPONSE for an answer that is not OpenClaw JSON (a proxy error page)', async () => {
    const proxy = await rawServer((res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    try {
      const error = await caught(createClient({ server: proxy.url }).health());
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringContaining('HTTP 502') });
    } finally {
      await proxy.close();
    }
  });

  it('throws INVALID_RESPONSE for JSON errors without an error body', async () => {
    const odd = await rawServer((res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"oops": true}');
    });
    try {
      expect(await caught(createClient({ server: odd.url }).health())).toMatchObject({
        code: 'INVALID_RESPONSE',
      });
    } finally {
      await odd.close();
    }
  });
});

describe('normalizeServerUrl', () => {
  it.each([
    ['http://pipeline:8765/', 'http://pipeline:8765'],
    ['https://openclaw.studio.com/base/', 'https://openclaw.studio.com/base'],
    ['127.0.0.1:8765', 'http://127.0.0.1:8765'],
  ])('normalises %s', (given, expected) => {
    expect(normalizeServerUrl(given)).toBe(expected);
  });

  it.each(['ws://pipeline:8765/ws', 'http://user:pw@host', 'http://host?x=1', 'http://'])(
    'rejects %s with CONFIG_INVALID',
    (given) => {
      expect(() => normalizeServerUrl(given)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'server' } }),
      );
    },
  );
});
