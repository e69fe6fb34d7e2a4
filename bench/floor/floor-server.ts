/**
 * The exec floor: the least a REST → agent → REST round trip can cost on this stack. Koa + @koa/router
 * + Socket.IO with the options of ours (path /ws, websocket via `ws`, 5 s heartbeat, 8 MiB messages):
 * `POST /api/nodes/:id/exec` reads the JSON body, `emitWithAck('exec')` to the node's socket, and
 * answers with the ack. No auth, no validation, no job store, no logging. Agents connect as to the
 * real server (handshake auth carries the node id) and their `hello` is acked at once.
 *
 * Usage: floor-server.ts; prints its port on stdout.
 */
import Router from '@koa/router';
import { OPENCLAW_VERSION } from '@openclaw-node/core';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Socket } from 'socket.io';
import { floorSocketServer } from './floor-socket-server.js';

const sockets = new Map<string, Socket>();
const app = new Koa();
const router = new Router();

router.get('/api/health', (ctx) => {
  ctx.body = { ok: true, nodes: sockets.size };
});
router.post('/api/nodes/:id/exec', async (ctx) => {
  const socket = sockets.get(ctx.params.id!);
  if (!socket) {
    ctx.status = 404;
    ctx.body = { error: { code: 'NODE_NOT_FOUND' } };
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { action: string; params?: object };
  const ack: unknown = await socket.timeout(30_000).emitWithAck('exec', {
    jobId: randomUUID(),
    action: body.action,
    params: body.params ?? {},
    timeoutMs: 30_000,
  });
  ctx.body = ack;
});
app.use(router.routes());

const callback = app.callback();
const http = createServer((req, res) => void callback(req, res));
const io = floorSocketServer(http);
io.of('/agent').on('connection', (socket) => {
  const nodeId = String((socket.handshake.auth as { nodeId?: unknown }).nodeId);
  socket.on('hello', (_payload: unknown, ack: unknown) => {
    sockets.set(nodeId, socket);
    if (typeof ack === 'function')
      (ack as (r: unknown) => void)({ ok: true, serverVersion: OPENCLAW_VERSION });
  });
  socket.on('disconnect', () => {
    if (sockets.get(nodeId) === socket) sockets.delete(nodeId);
  });
});
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(http.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
