import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from '@openclaw-node/agent';
import { AGENT_NAMESPACE, DEFAULT_SOCKET_PATH, type ErrorPayload } from '@openclaw-node/core';
import { Server, type Socket } from 'socket.io';
import { WebSocketServer } from 'ws';
import { startBatteryAgent } from './battery-agent.js';
import { createEdges, type Edges } from './edges.js';

/** What the agent acked for one `exec`. */
export type DirectAck = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

/**
 * The agent under test behind a bare Socket.IO server that validates nothing: hostile `exec`
 * payloads reach the agent exactly as written, as they would from a compromised or buggy server.
 */
export interface DirectLink {
  edges: Edges;
  /** Emit `exec` with an ack and wait for it. */
  exec(request: unknown): Promise<DirectAck>;
  /** Emit `exec` with no ack callback. */
  fire(request: unknown): void;
  /** True while the agent's socket is connected. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** Start the edges, a bare Socket.IO server that accepts any hello, and the agent. */
export async function startDirectLink(): Promise<DirectLink> {
  const edges = await createEdges();
  const http = createHttpServer();
  const io = new Server(http, { path: DEFAULT_SOCKET_PATH, serveClient: false, wsEngine: WebSocketServer });
  const helloed = new Promise<Socket>((resolve) => {
    io.of(AGENT_NAMESPACE).on('connection', (socket) => {
      socket.on('hello', (_hello: unknown, ack: (answer: unknown) => void) => {
        ack({ ok: true, serverVersion: 'hostile-battery' });
        resolve(socket);
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  let agent: Agent | undefined;
  const close = async () => {
    await agent?.stop();
    await io.close();
    await edges.stop();
  };
  try {
    agent = await startBatteryAgent(edges, `ws://127.0.0.1:${port}${DEFAULT_SOCKET_PATH}`, 'direct-token');
  } catch (error) {
    await close();
    throw error;
  }
  const socket = await helloed;
  await edges.settle();
  return {
    edges,
    exec: (request) => socket.timeout(30_000).emitWithAck('exec', request) as Promise<DirectAck>,
    fire: (request) => void socket.emit('exec', request),
    connected: () => socket.connected,
    stop: close,
  };
}
