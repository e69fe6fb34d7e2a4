import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { LoadedTls } from './load-tls.js';

/** The server under the REST API and the Socket.IO gateway: HTTP, or HTTPS when TLS is configured. */
export type WebServer = HttpServer | HttpsServer;

/** An HTTP server, or an HTTPS one (TLS 1.2 or newer) serving `tls`. */
export function createWebServer(
  tls: LoadedTls | undefined,
  onRequest: (req: IncomingMessage, res: ServerResponse) => void,
): WebServer {
  if (!tls) return createHttpServer(onRequest);
  return createHttpsServer(
    { cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}), minVersion: 'TLSv1.2' },
    onRequest,
  );
}
