/**
 * The transport floor: a bare Socket.IO server with the options of ours (path /ws, websocket via
 * `ws`, 5 s heartbeat, 8 MiB messages) whose only handler acks at once. Prints its port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

const http = createServer();
const io = new Server(http, {
  path: '/ws',
  serveClient: false,
  pingInterval: 5000,
  pingTimeout: 5000,
  maxHttpBufferSize: 8 * 1024 * 1024,
  wsEngine: WebSocketServer,
});
io.of('/agent').on('connection', (socket) => {
  socket.on('echo', (payload: unknown, ack: unknown) => {
    if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: true, result: payload });
  });
});
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(http.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
