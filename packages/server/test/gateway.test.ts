import { MANIFEST_LIMITS, PROTOCOL_VERSION } from '@openclaw-node/core';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  exec,
  helloFor,
  openAgentSocket,
  OPERATOR_TOKEN,
  TOKEN,
  toolsManifest,
  waitFor,
  type AgentSocket,
  type Json,
} from '@openclaw-node/test-support/server';
import { useTestServer } from './helpers/server.js';

const t = useTestServer({ pingIntervalMs: 300, pingTimeoutMs: 5000 });
const agent = t.agent;
/** Raw sockets of a test, closed after it (before the server: after-hooks run in reverse). */
const sockets: { close(): unknown }[] = [];

afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});

async function rawSocket(auth: unknown): Promise<Awaited<ReturnType<typeof openAgentSocket>>> {
  const opened = await openAgentSocket(t.url, auth);
  sockets.push(opened.socket);
  return opened;
}

const nodeIds = async (): Promise<string[]> =>
  (await api<{ nodes: { node_id: string }[] }>(t.url, '/api/nodes')).body.nodes.map((n) => n.node_id);

describe('handshake', () => {
  it.each([
    ['no auth at all', undefined, 'AUTH_REQUIRED'],
    ['no token', { nodeId: 'ws-001', protocol: PROTOCOL_VERSION }, 'AUTH_REQUIRED'],
    ['a wrong token', { token: 'wrong', nodeId: 'ws-001', protocol: PROTOCOL_VERSION }, 'AUTH_INVALID'],
    [
      'a token without the agent role',
      { token: OPERATOR_TOKEN, nodeId: 'ws-001', protocol: PROTOCOL_VERSION },
      'FORBIDDEN',
    ],
    ['another protocol version', { token: TOKEN, nodeId: 'ws-001', protocol: 2 }, 'PROTOCOL_UNSUPPORTED'],
    ['no protocol version', { token: TOKEN, nodeId: 'ws-001' }, 'PROTOCOL_UNSUPPORTED'],
    [
      'a node id with a slash',
      { token: TOKEN, nodeId: '../etc', protocol: PROTOCOL_VERSION },
      'INVALID_BODY',
    ],
    ['an empty node id', { token: TOKEN, nodeId: '', protocol: PROTOCOL_VERSION }, 'INVALID_BODY'],
  ])('rejects %s with connect_error data.code', async (_label, auth, code) => {
    const { error } = await rawSocket(auth);
    expect(error?.data).toMatchObject({ code, message: expect.any(String) });
    expect(error?.message).toBe(error?.data.message);
  });

  it('checks the token before the protocol, so a stranger learns nothing', async () => {
    const { error } = await rawSocket({ token: 'wrong', nodeId: 'ws-001', protocol: 99 });
    expect(error?.data.code).toBe('AUTH_INVALID');
  });

  it('rejects connections to the main namespace', async () => {
    const socket = io(t.url, {
      path: '/ws',
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token: TOKEN },
    });
    sockets.push(socket);
    const error = await new Promise<Error & { data?: Json }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    expect(error.data.code).toBe('ROUTE_NOT_FOUND');
  });

  it('logs rejections without the token', async () => {
    await rawSocket({ token: 'very-secret-wrong-token', nodeId: 'ws-001', protocol: PROTOCOL_VERSION });
    const text = JSON.stringify(t.logs);
    expect(text).toContain('agent handshake rejected');
    expect(text).not.toContain('very-secret-wrong-token');
  });
});

describe('hello', () => {
  it('acks a valid hello with the server version and lists the node only then', async () => {
    const { socket } = await rawSocket({ token: TOKEN, nodeId: 'ws-001', protocol: PROTOCOL_VERSION });
    expect(socket.connected).toBe(true);
    expect(await nodeIds()).toEqual([]);
    const ack = await socket.emitWithAck('hello', helloFor('ws-001'));
    expect(ack).toEqual({
      ok: true,
      serverVersion: expect.any(String),
      pluginRefs: { tools: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
    expect(await nodeIds()).toEqual(['ws-001']);
  });

  const invalid = (): [string, Record<string, unknown>, string, string][] => [
    ['a node id other than the handshake', { nodeId: 'ws-002' }, 'INVALID_BODY', 'hello.nodeId'],
    ['an unknown platform', { platform: 'amiga' }, 'INVALID_BODY', 'hello.platform'],
    ['a missing hostname', { hostname: undefined }, 'INVALID_BODY', 'hello.hostname'],
    ['plugins that are not a list', { plugins: 'explorer' }, 'INVALID_BODY', 'hello.plugins'],
    [
      'too many plugins',
      { plugins: Array.from({ length: MANIFEST_LIMITS.maxPlugins + 1 }, () => ({})) },
      'INVALID_BODY',
      'hello.plugins',
    ],
    [
      'a manifest without actions',
      { plugins: [{ ...toolsManifest(), actions: {} }] },
      'MANIFEST_INVALID',
      'manifest.actions',
    ],
    [
      'a params schema that is not a schema',
      {
        plugins: [
          toolsManifest({
            actions: {
              go: { description: 'Go', params: { type: 'object', properties: { a: { type: 'nonsense' } } } },
            },
          }),
        ],
      },
      'MANIFEST_INVALID',
      'manifest.actions.go.params',
    ],
    [
      'a plugin advertised twice',
      { plugins: [toolsManifest(), toolsManifest()] },
      'MANIFEST_INVALID',
      'hello.plugins[1].name',
    ],
  ];

  it.each(invalid())('rejects %s, naming the field, and disconnects', async (_label, change, code, field) => {
    const { socket } = await rawSocket({ token: TOKEN, nodeId: 'ws-001', protocol: PROTOCOL_VERSION });
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    const ack = await socket.emitWithAck('hello', { ...helloFor('ws-001'), ...change });
    expect(ack).toMatchObject({ ok: false, error: { code, details: expect.objectContaining({ field }) } });
    await disconnected;
    expect(await nodeIds()).toEqual([]);
  });

  it('disconnects a hello sent without an ack callback', async () => {
    const { socket } = await rawSocket({ token: TOKEN, nodeId: 'ws-001', protocol: PROTOCOL_VERSION });
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    (socket as unknown as { emit(event: string, payload: unknown): void }).emit('hello', helloFor('ws-001'));
    await disconnected;
    expect(await nodeIds()).toEqual([]);
  });

  it('ignores unknown hello fields from a newer agent', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', hello: { gpu: 'RTX 6000' } });
    expect(a.helloAck).toMatchObject({ ok: true });
  });

  it('updates the node when the same connection sends a new hello', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const ack = await a.socket.emitWithAck(
      'hello',
      helloFor('ws-001', { plugins: [toolsManifest({ version: '2.0.0' })] }),
    );
    expect(ack.ok).toBe(true);
    expect((await api(t.url, '/api/plugins')).body.plugins[0].versions).toEqual(['2.0.0']);
    expect(await nodeIds()).toEqual(['ws-001']);
  });
});

describe('liveness', () => {
  it('updates last_seen_at on traffic (pongs included)', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const lastSeen = async (): Promise<string> =>
      (await api<{ last_seen_at: string }>(t.url, '/api/nodes/ws-001')).body.last_seen_at;
    const first = await lastSeen();
    const later = await waitFor(async () => {
      const seen = await lastSeen();
      return seen > first ? seen : undefined;
    }, 'a newer last_seen_at');
    expect(Date.parse(later)).toBeGreaterThan(Date.parse(first));
  });
});

describe('replacement', () => {
  it('replaces a node that connects again with the same id: notice, disconnect, jobs failed', async () => {
    const first = await agent(t.url, { nodeId: 'ws-dup', onExec: () => 'never' });
    const pending = exec(t.url, 'ws-dup', { action: 'tools.ping', timeout: 600 });
    await waitFor(() => (first.execs.length ? true : undefined), 'exec on the first agent');
    const firstGone = new Promise((resolve) => first.socket.once('disconnect', resolve));
    const second = await agent(t.url, { nodeId: 'ws-dup', hello: { hostname: 'second.studio.lan' } });
    expect(second.helloAck).toMatchObject({ ok: true });

    const { status, body } = await pending;
    expect(status).toBe(502);
    expect(body.error).toMatchObject({
      code: 'NODE_DISCONNECTED',
      message: expect.stringContaining('replaced'),
    });
    await firstGone;
    expect(first.replaced).toEqual([{ reason: expect.any(String) }]);

    const nodes = (await api(t.url, '/api/nodes')).body.nodes;
    expect(nodes).toEqual([expect.objectContaining({ node_id: 'ws-dup', hostname: 'second.studio.lan' })]);
    const ok = await exec(t.url, 'ws-dup', { action: 'tools.ping' });
    expect(ok.status).toBe(200);
    expect(second.execs).toHaveLength(1);
  });

  it('keeps the new node when the replaced connection finally closes', async () => {
    const first = await agent(t.url, { nodeId: 'ws-dup' });
    await agent(t.url, { nodeId: 'ws-dup' });
    await waitFor(() => (first.connected ? undefined : true), 'first agent disconnect');
    expect(await nodeIds()).toEqual(['ws-dup']);
  });
});

describe('a connection that never says hello', () => {
  it('is not listed and cannot be sent work', async () => {
    const { socket }: { socket: AgentSocket } = await rawSocket({
      token: TOKEN,
      nodeId: 'ws-silent',
      protocol: PROTOCOL_VERSION,
    });
    expect(socket.connected).toBe(true);
    const { status, body } = await exec(t.url, 'ws-silent', { action: 'tools.ping' });
    expect(status).toBe(404);
    expect(body.error.code).toBe('NODE_NOT_FOUND');
  });
});
