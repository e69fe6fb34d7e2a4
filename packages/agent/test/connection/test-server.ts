import { createHash } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ExtendedError, type Namespace, type Socket } from 'socket.io';
import { WebSocketServer } from 'ws';
import {
  stableStringify,
  type AgentToServerEvents,
  type HandshakeAuth,
  type HelloAck,
  type HelloByRefPayload,
  type HelloPayload,
  type JobProgressEvent,
  type PluginManifest,
  type ServerToAgentEvents,
} from '@openclaw-node/core';

export type TestAgentSocket = Socket<AgentToServerEvents, ServerToAgentEvents>;

export interface TestServerOptions {
  port?: number;
  token?: string;
  /** What to answer `hello` with; defaults to ok. */
  helloAck?: (payload: HelloPayload) => HelloAck;
  /**
   * What to do with a hello that names its manifests by ref: `take` them as the real server does
   * (MANIFEST_UNKNOWN for those it has not seen in a full hello), or `refuse` it as an older server
   * does (INVALID_BODY, then disconnect). Default `take`.
   */
  refs?: 'take' | 'refuse';
}

/**
 * A small Socket.IO server shaped like the real one: namespace /agent on path /ws, websocket only,
 * handshake auth checked in middleware (refusals carry `err.data.code`), `hello` acked.
 */
export interface TestServer {
  port: number;
  url: string;
  namespace: Namespace<AgentToServerEvents, ServerToAgentEvents>;
  auths: unknown[];
  /** Accepted hellos, those by ref with their manifests filled in (as the real server reads them). */
  hellos: HelloPayload[];
  /** Hellos by ref, as sent (whatever the answer). */
  refHellos: HelloByRefPayload[];
  progress: JobProgressEvent[];
  sockets: TestAgentSocket[];
  /** Resolves with the n-th hello (1-based) and the socket that sent it. */
  helloNumber(n: number): Promise<{ payload: HelloPayload; socket: TestAgentSocket }>;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const token = options.token ?? 'good-token';
  const http: HttpServer = createServer();
  const io = new Server<AgentToServerEvents, ServerToAgentEvents>(http, {
    path: '/ws',
    transports: ['websocket'],
    pingInterval: 1000,
    pingTimeout: 1000,
    // engine.io's own `require('ws').Server` breaks where `ws` resolves to its ESM wrapper (vitest).
    wsEngine: WebSocketServer,
  });
  const namespace = io.of('/agent');
  const auths: unknown[] = [];
  const hellos: HelloPayload[] = [];
  const refHellos: HelloByRefPayload[] = [];
  const known = new Map<string, PluginManifest>();
  const refOf = (manifest: PluginManifest): string =>
    `sha256:${createHash('sha256').update(stableStringify(manifest)).digest('hex')}`;
  const progress: JobProgressEvent[] = [];
  const sockets: TestAgentSocket[] = [];
  const waiters: {
    n: number;
    resolve: (value: { payload: HelloPayload; socket: TestAgentSocket }) => void;
  }[] = [];
  const helloSockets: TestAgentSocket[] = [];

  namespace.use((socket, next) => {
    const auth = socket.handshake.auth as Partial<HandshakeAuth>;
    auths.push(auth);
    const refuse = (code: string, message: string) => {
      const error: ExtendedError = new Error(message);
      error.data = { code, message };
      next(error);
    };
    if (auth.protocol !== 1) return refuse('PROTOCOL_UNSUPPORTED', 'protocol 1 only');
    if (auth.token !== token) return refuse('AUTH_INVALID', 'The token is not valid');
    next();
  });
  namespace.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('hello', (sent, ack) => {
      let payload: HelloPayload;
      if ('pluginRefs' in sent && !('plugins' in sent)) {
        refHellos.push(sent);
        if (options.refs === 'refuse') {
          ack({
            ok: false,
            error: { code: 'INVALID_BODY', message: 'hello must have required property plugins' },
          });
          socket.disconnect(true);
          return;
        }
        const unknown = sent.pluginRefs.filter((ref) => !known.has(ref));
        if (unknown.length > 0) {
          ack({
            ok: false,
            error: { code: 'MANIFEST_UNKNOWN', message: 'send them', details: { refs: unknown } },
          });
          return;
        }
        const { pluginRefs, ...rest } = sent;
        payload = { ...rest, plugins: pluginRefs.map((ref) => known.get(ref)!) };
      } else {
        payload = sent;
        for (const manifest of payload.plugins) known.set(refOf(manifest), manifest);
      }
      hellos.push(payload);
      helloSockets.push(socket);
      const pluginRefs = Object.fromEntries(payload.plugins.map((m) => [m.name, refOf(m)]));
      ack(options.helloAck?.(payload) ?? { ok: true, serverVersion: '0.1.0-test', pluginRefs });
      for (const waiter of waiters.filter((w) => w.n === hellos.length)) waiter.resolve({ payload, socket });
    });
    socket.on('job:progress', (event) => progress.push(event));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    namespace,
    auths,
    hellos,
    refHellos,
    progress,
    sockets,
    helloNumber(n) {
      if (hellos.length >= n)
        return Promise.resolve({ payload: hellos[n - 1]!, socket: helloSockets[n - 1]! });
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
