import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { createServer, type OpenClawServer, type ServerOptions } from '@openclaw-node/server';
export { waitFor } from '../wait-for.js';

export const TOKEN = 'test-token-4f1c9a2e7b';
export const AGENT_TOKEN = 'agent-only-token-9d3e';
export const OPERATOR_TOKEN = 'operator-only-token-1b7c';

export interface TestServer {
  server: OpenClawServer;
  url: string;
  port: number;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A logger that keeps every line in memory (to check what is, and is not, logged). */
export function memoryLogger(): { logger: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), logs };
}

/** A real server on 127.0.0.1, port 0, with an all-roles token plus an agent-only and an operator-only one. */
export async function startServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const { logger, logs } = memoryLogger();
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [
      { name: 'test', token: TOKEN },
      { name: 'agent-only', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'operator-only', token: OPERATOR_TOKEN, roles: ['operator'] },
    ],
    logger,
    ackGraceMs: 200,
    store: 'memory',
    ...overrides,
  });
  const { url, port } = await server.listen();
  return { server, url, port, logs, close: () => server.close() };
}

/** Parsed JSON as tests read it: any shape, checked by the assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

/** Call the REST API with fetch; JSON in, JSON out. */
export async function api<T = Json>(
  url: string,
  route: string,
  options: {
    token?: string | null;
    method?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(url + route, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body ?? null,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** POST /api/nodes/:id/exec */
export function exec(
  url: string,
  nodeId: string,
  body: unknown,
  options: { token?: string; signal?: AbortSignal } = {},
): Promise<ApiResponse> {
  return api(url, `/api/nodes/${encodeURIComponent(nodeId)}/exec`, { body, ...options });
}
