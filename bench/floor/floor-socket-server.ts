import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

/** A bare Socket.IO server with the transport options of ours: path /ws, websocket via `ws`, 5 s heartbeat, 8 MiB messages. */
export function floorSocketServer(http: HttpServer): Server {
  return new Server(http, {
    path: '/ws',
    serveClient: false,
    pingInterval: 5000,
    pingTimeout: 5000,
    maxHttpBufferSize: 8 * 1024 * 1024,
    wsEngine: WebSocketServer,
  });
}
