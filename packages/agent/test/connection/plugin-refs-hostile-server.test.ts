import os from 'node:os';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server, type Socket } from 'socket.io';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent } from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';

const TOKEN = 'good-token-0123456789';

interface Seen {
  socket: number;
  kind: 'ref' | 'full';
  payload: Record<string, unknown>;
}

type Answer = (seen: Seen, socket: Socket, n: number) => unknown;

let closers: (() => Promise<void>)[] = [];
let agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all(closers.map((c) => c()));
  agents = [];
  closers = [];
});

async function hostile(answer: Answer) {
  const http: HttpServer = createServer();
  const io = new Server(http, { path: '/ws', transports: ['websocket'], wsEngine: WebSocketServer });
  const seen: Seen[] = [];
  let sockets = 0;
  io.of('/agent').on('connection', (socket) => {
    const id = ++sockets;
    socket.on('hello', (payload: Record<string, unknown>, ack: (a: unknown) => void) => {
      const s: Seen = { socket: id, kind: 'plugins' in payload ? 'full' : 'ref', payload };
      seen.push(s);
      const reply = answer(s, socket, seen.length);
      if (reply !== undefined) ack(reply);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => void io.close(() => r())));
  const port = (http.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/ws`, seen, sockets: () => sockets };
}

function agent(url: string): Agent {
  const config = resolveAgentConfig(
    {
      node_id: 'ws-042',
      server_url: url,
      auth_token: TOKEN,
      plugins: ['demo'],
      allowed_paths: [os.tmpdir()],
    },
    { env: {} },
  );
  const a = createAgent({
    config,
    logger: pino({ level: 'silent' }),
    registry: testRegistry,
    platform: 'linux',
    backoff: { initialMs: 50, maxMs: 200 },
    helloTimeoutMs: 2000,
  });
  agents.push(a);
  a.start();
  return a;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unknownAck = { ok: false, error: { code: 'MANIFEST_UNKNOWN', message: 'send them' } };
const perSocket = (seen: Seen[]) => {
  const m = new Map<number, Seen[]>();
  for (const s of seen) m.set(s.socket, [...(m.get(s.socket) ?? []), s]);
  return m;
};

describe('agent against a hostile server', () => {
  it('a server that answers MANIFEST_UNKNOWN to everything: at most one ref and one full hello per connection, with backoff', async () => {
    const s = await hostile(() => unknownAck);
    agent(s.url);
    await sleep(1500);
    const by = [...perSocket(s.seen)].sort(([a], [b]) => a - b);
    expect(by.length).toBeGreaterThan(1);
    const newest = by.at(-1)![0];
    for (const [socket, list] of by) {
      const kinds = list.map((x) => x.kind);
      // The newest connection may be between its two hellos when the time is up (a loaded machine).
      if (socket === newest && kinds.length === 1) expect(kinds).toEqual(['ref']);
      else expect(kinds).toEqual(['ref', 'full']);
    }
    // 1.5 s with a 50..200 ms backoff: a handful of connections, not a spin.
    expect(s.sockets()).toBeLessThan(20);
  });

  it('a server that answers MANIFEST_UNKNOWN then drops the connection: the full hello is not replayed on the next connection', async () => {
    const s = await hostile((_seen, socket, n) => {
      if (n === 1) {
        setImmediate(() => socket.disconnect(true));
        return unknownAck;
      }
      return { ok: true, serverVersion: 'x' };
    });
    const a = agent(s.url);
    await a.ready;
    await sleep(300);
    const by = perSocket(s.seen);
    // Connection 2 should carry only its own hello, starting with the one by ref.
    expect(by.get(2)?.map((x) => x.kind)).toEqual(['ref']);
  });

  const garbage: [string, unknown][] = [
    ['a string', 'sha256:' + 'a'.repeat(64)],
    ['an array', ['sha256:' + 'a'.repeat(64)]],
    ['non-string values', { demo: 42 }],
    ['an object value', { demo: { toString: 'x' } }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"demo": "sha256:' + 'b'.repeat(64) + '"}}')],
    ['a huge string', { demo: 'sha256:' + 'c'.repeat(2_000_000) }],
    ['a capitalised ref', { demo: 'sha256:' + 'D'.repeat(64) }],
    ['null', null],
  ];
  it.each(garbage)(
    'an ok ack whose pluginRefs is %s: next hello names the manifest by its own ref',
    async (_l, refs) => {
      const s = await hostile((_seen, socket, n) => {
        if (n === 1) {
          setTimeout(() => socket.disconnect(true), 50);
          return { ok: true, serverVersion: 'x', pluginRefs: refs };
        }
        return { ok: true, serverVersion: 'x' };
      });
      const a = agent(s.url);
      await a.ready;
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (s.seen.length >= 2) {
            clearInterval(t);
            resolve();
          }
        }, 20);
      });
      const first = s.seen[0]!.payload.pluginRefs as string[];
      const second = s.seen[1]!.payload.pluginRefs as string[];
      expect(first).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
      expect(second).toEqual(first);
    },
  );

  it('a server that answers INVALID_BODY to the hello by ref and to the full one: the agent gives up (fatal, as before)', async () => {
    const s = await hostile(() => ({ ok: false, error: { code: 'INVALID_BODY', message: 'no' } }));
    const a = agent(s.url);
    const reason = await Promise.race([a.stopped, sleep(3000).then(() => 'still running')]);
    expect(reason).toMatchObject({ code: 'INVALID_BODY' });
    expect(s.seen.map((x) => x.kind)).toEqual(['ref', 'full']);
  });
});
