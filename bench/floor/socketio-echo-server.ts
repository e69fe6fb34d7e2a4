/**
 * The transport floor: a bare Socket.IO server with the options of ours (path /ws, websocket via
 * `ws`, 5 s heartbeat, 8 MiB messages) whose only handler acks at once. Prints its port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { floorSocketServer } from './floor-socket-server.js';

const http = createServer();
const io = floorSocketServer(http);
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
