import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { ServerMetrics } from './server-metrics.js';

/** Where the separate scrape listener binds (`--metrics-listen 127.0.0.1:9464`). */
export interface MetricsListen {
  host: string;
  port: number;
}

/** Parse `host:port` or `[v6]:port`; CONFIG_INVALID naming `field`. */
export function parseMetricsListen(text: string, field = 'metrics.listen'): MetricsListen {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `${field} must be host:port (e.g. 127.0.0.1:9464), got "${text.slice(0, 80)}"`,
      { details: { field } },
    );
  }
  return { host: (match[1] ?? match[2])!, port };
}

/**
 * A plain HTTP listener that serves only `GET /metrics`, without a token: for a scraper that
 * cannot hold one. It answers anyone who reaches it, so bind it to loopback or a monitoring
 * network; a non-loopback address is logged as a warning.
 */
export class MetricsListener {
  readonly #server: Server;
  readonly #listen: MetricsListen;
  readonly #logger: Logger;

  constructor(metrics: ServerMetrics, listen: MetricsListen, logger: Logger) {
    this.#listen = listen;
    this.#logger = logger;
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (path !== '/metrics') return answer(res, 404, 'ROUTE_NOT_FOUND', 'Only GET /metrics is served here');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return answer(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET /metrics');
      }
      metrics.render().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': metrics.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'cannot render metrics');
          answer(res, 500, 'INTERNAL_ERROR', 'Internal error');
        },
      );
    });
  }

  /** Start listening; resolves with the bound address (port 0 picks one). */
  async start(): Promise<{ url: string }> {
    const { host, port } = this.#listen;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void =>
        reject(
          new OpenClawError(
            'CONFIG_INVALID',
            `Cannot listen for metrics on ${host}:${port}: ${error.code ?? error.message}`,
            {
              details: { field: 'metrics.listen' },
              cause: error,
            },
          ),
        );
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    const bound = this.#server.address() as AddressInfo;
    const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    const url = `http://${shown}:${bound.port}/metrics`;
    const loopback = /^(127\.|::1$|localhost$)/.test(host);
    if (!loopback)
      this.#logger.warn(
        { url },
        'metrics listener on a non-loopback address: anyone who reaches it reads the fleet figures',
      );
    else this.#logger.info({ url }, 'metrics listener');
    return { url };
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ status: 'error', error: { code, message } }));
}
