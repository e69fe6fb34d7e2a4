import {
  OpenClawError,
  type CatalogPlugin,
  type ExecBody,
  type ExecSuccess,
  type HealthResponse,
  type NodeDetail,
  type NodesResponse,
  type PluginsResponse,
} from '@openclaw-node/core';
import { OpenClawApiError, isErrorBody } from './api-error.js';
import { normalizeServerUrl } from './server-url.js';
import { anySignal } from './signals.js';

export interface ClientOptions {
  /** Base URL of the server, e.g. `http://pipeline:8765`. */
  server: string;
  /** Bearer token; health works without one. */
  token?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Per-request deadline in ms (default 30 s). An exec with `timeout` in its body waits that plus 30 s;
   * without one it waits for the server (which answers within the action's own timeout) unless this is set.
   */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Abort the request (for an exec, the server then cancels the job on the node). */
  signal?: AbortSignal;
  /** Overrides the client's deadline for this request. */
  timeoutMs?: number;
}

/** The typed REST client. Every method throws OpenClawError (OpenClawApiError for server answers). */
export interface OpenClawClient {
  /** The normalised base URL. */
  readonly server: string;
  health(options?: RequestOptions): Promise<HealthResponse>;
  nodes(options?: RequestOptions): Promise<NodesResponse>;
  node(id: string, options?: RequestOptions): Promise<NodeDetail>;
  plugins(options?: RequestOptions): Promise<PluginsResponse>;
  plugin(name: string, options?: RequestOptions): Promise<CatalogPlugin>;
  exec(nodeId: string, body: ExecBody, options?: RequestOptions): Promise<ExecSuccess>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const EXEC_MARGIN_MS = 30_000;

/**
 * Create a client for one server. Works in Node and in browsers (fetch only).
 * @example
 * const client = createClient({ server: 'http://pipeline:8765', token: process.env.OPENCLAW_TOKEN });
 * const { result } = await client.exec('ws-042', { action: 'explorer.open_folder', params: { path: '/show/sh010' } });
 */
export function createClient(options: ClientOptions): OpenClawClient {
  const server = normalizeServerUrl(options.server);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    timeoutMs: number | null,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = server + path;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const deadline = timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs);
    const combined = anySignal([signal, deadline]);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        signal: combined.signal,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (deadline?.aborted) {
        throw new OpenClawError('REQUEST_TIMEOUT', `${method} ${url} got no answer within ${timeoutMs} ms`, {
          details: { url, timeout_ms: timeoutMs },
        });
      }
      throw new OpenClawError(
        'SERVER_UNREACHABLE',
        `Cannot reach the OpenClaw server at ${server}: ${describe(error)}`,
        {
          details: { url },
          cause: error,
        },
      );
    } finally {
      combined.dispose();
    }
    return parseAnswer<T>(response, text, method, url);
  }

  const read = <T>(path: string, o?: RequestOptions): Promise<T> =>
    request<T>('GET', path, undefined, o?.timeoutMs ?? defaultTimeout, o?.signal);

  return {
    server,
    health: (o) => read('/api/health', o),
    nodes: (o) => read('/api/nodes', o),
    node: (id, o) => read(`/api/nodes/${encodeURIComponent(id)}`, o),
    plugins: (o) => read('/api/plugins', o),
    plugin: (name, o) => read(`/api/plugins/${encodeURIComponent(name)}`, o),
    exec(nodeId, body, o) {
      const timeoutMs =
        o?.timeoutMs ??
        (typeof body.timeout === 'number'
          ? body.timeout * 1000 + EXEC_MARGIN_MS
          : (options.timeoutMs ?? null));
      return request<ExecSuccess>(
        'POST',
        `/api/nodes/${encodeURIComponent(nodeId)}/exec`,
        body,
        timeoutMs,
        o?.signal,
      );
    },
  };
}

function parseAnswer<T>(response: Response, text: string, method: string, url: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new OpenClawError(
      'INVALID_RESPONSE',
      `${method} ${url} answered HTTP ${response.status} (${type}), not an OpenClaw JSON response: ${text.slice(0, 120)}`,
      { details: { url, http_status: response.status } },
    );
  }
  if (response.ok) return json as T;
  if (isErrorBody(json)) throw new OpenClawApiError(response.status, json);
  throw new OpenClawError(
    'INVALID_RESPONSE',
    `${method} ${url} answered HTTP ${response.status} without an error body`,
    {
      details: { url, http_status: response.status },
    },
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' ? cause.message : undefined;
  return code ?? detail ?? error.message;
}
