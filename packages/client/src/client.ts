import {
  OpenClawError,
  type CatalogPlugin,
  type ExecAccepted,
  type ExecBody,
  type ExecSuccess,
  type FanOutBody,
  type FanOutResponse,
  type HealthResponse,
  type JobEventView,
  type JobsQuery,
  type JobsResponse,
  type LiveEventView,
  type MeResponse,
  type JobView,
  type NodeDetail,
  type NodesResponse,
  type PluginsResponse,
} from '@openclaw-node/core';
import { OpenClawApiError, isErrorBody } from './api-error.js';
import { followJobEvents, type JobEventsOptions } from './job-events.js';
import { followLiveEvents } from './live-events.js';
import { normalizeServerUrl } from './server-url.js';
import { anySignal } from './signals.js';

export interface ClientOptions {
  /** Base URL of the server, e.g. `http://pipeline:8765`. */
  server: string;
  /** Bearer token; health works without one. */
  token?: string | undefined;
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

/** Options of an exec: the request options plus an Idempotency-Key. */
export interface ExecOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`: the same request with the same key within 24 h returns the original job. */
  idempotencyKey?: string;
}

/** One page of `GET /api/jobs`. */
export interface PageOptions {
  /** 1..500, default 50. */
  limit?: number;
  /** The `next_cursor` of the previous page. */
  cursor?: string | null;
}

/** A synchronous exec (no `wait: false`, no `queue: true`) answers when the job ended. */
export type WaitingExecBody = ExecBody & { wait?: true; queue?: false };

/** The typed REST client. Every method throws OpenClawError (OpenClawApiError for server answers). */
export interface OpenClawClient {
  /** The normalised base URL. */
  readonly server: string;
  health(options?: RequestOptions): Promise<HealthResponse>;
  nodes(options?: RequestOptions): Promise<NodesResponse>;
  node(id: string, options?: RequestOptions): Promise<NodeDetail>;
  plugins(options?: RequestOptions): Promise<PluginsResponse>;
  plugin(name: string, options?: RequestOptions): Promise<CatalogPlugin>;
  /**
   * Run an action on a node. Waits for its result unless `wait: false` (or `queue: true` for a node
   * that is not connected), which answer at once with the accepted job.
   */
  exec(nodeId: string, body: WaitingExecBody, options?: ExecOptions): Promise<ExecSuccess>;
  exec(nodeId: string, body: ExecBody, options?: ExecOptions): Promise<ExecSuccess | ExecAccepted>;
  /** `POST /api/exec`: one action on every node the target matches; one job each. */
  execMany(body: FanOutBody, options?: ExecOptions): Promise<FanOutResponse>;
  /** `GET /api/jobs`: newest first, filtered; pass `next_cursor` back as `cursor`. */
  jobs(filter?: JobsQuery, page?: PageOptions, options?: RequestOptions): Promise<JobsResponse>;
  /** `GET /api/jobs/:id`. */
  job(id: string, options?: RequestOptions): Promise<JobView>;
  /** `POST /api/jobs/:id/cancel`: the job as it is after the node answered (or still running). */
  cancel(id: string, options?: RequestOptions): Promise<JobView>;
  /**
   * The job's events (state, progress, log) as they happen, replayed from the start or from `after`,
   * ending after its terminal state.
   * @example for await (const e of client.events(id)) if (e.type === 'log') console.log(e.data.lines.join('\n'));
   */
  events(id: string, options?: JobEventsOptions): AsyncIterable<JobEventView>;
  /** `GET /api/me`: the token's name, roles and scopes; with `node`, the actions it may run there. */
  me(query?: { node?: string }, options?: RequestOptions): Promise<MeResponse>;
  /** `GET /api/events`: nodes coming, going, reporting health, and job state changes, as they happen. */
  liveEvents(options?: { signal?: AbortSignal }): AsyncIterable<LiveEventView>;
  /** Follow the job until it ends, then return it. */
  waitForJob(id: string, options?: { signal?: AbortSignal }): Promise<JobView>;
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

  const authHeaders = (): Record<string, string> =>
    options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    timeoutMs: number | null,
    signal?: AbortSignal,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const url = server + path;
    const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(), ...extraHeaders };
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
  const keyHeader = (o?: ExecOptions): Record<string, string> =>
    o?.idempotencyKey === undefined ? {} : { 'idempotency-key': o.idempotencyKey };
  /** Deadline of a request that may wait for jobs: their timeout plus a margin, else the server's. */
  const waitingDeadline = (waits: boolean, timeout: number | undefined, o?: RequestOptions): number | null =>
    o?.timeoutMs ??
    (!waits
      ? defaultTimeout
      : typeof timeout === 'number'
        ? timeout * 1000 + EXEC_MARGIN_MS
        : (options.timeoutMs ?? null));
  const jobPath = (id: string): string => `/api/jobs/${encodeURIComponent(id)}`;
  const job = (id: string, o?: RequestOptions): Promise<JobView> => read(jobPath(id), o);
  const events = (id: string, o?: JobEventsOptions): AsyncGenerator<JobEventView> =>
    followJobEvents(
      {
        url: `${server}${jobPath(id)}/events`,
        headers: authHeaders(),
        fetch: fetchImpl,
        job: () => job(id, o?.signal ? { signal: o.signal } : {}),
      },
      o,
    );

  return {
    server,
    health: (o) => read('/api/health', o),
    nodes: (o) => read('/api/nodes', o),
    node: (id, o) => read(`/api/nodes/${encodeURIComponent(id)}`, o),
    plugins: (o) => read('/api/plugins', o),
    plugin: (name, o) => read(`/api/plugins/${encodeURIComponent(name)}`, o),
    exec(nodeId: string, body: ExecBody, o?: ExecOptions) {
      return request<ExecSuccess>(
        'POST',
        `/api/nodes/${encodeURIComponent(nodeId)}/exec`,
        body,
        waitingDeadline(body.wait !== false, body.timeout, o),
        o?.signal,
        keyHeader(o),
      );
    },
    execMany(body, o) {
      return request<FanOutResponse>(
        'POST',
        '/api/exec',
        body,
        waitingDeadline(body.wait === true, body.timeout, o),
        o?.signal,
        keyHeader(o),
      );
    },
    jobs(filter = {}, page = {}, o) {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(filter)) {
        if (value === undefined) continue;
        query.set(name, Array.isArray(value) ? value.join(',') : String(value));
      }
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      if (page.cursor) query.set('cursor', page.cursor);
      const text = query.toString();
      return read(`/api/jobs${text ? `?${text}` : ''}`, o);
    },
    job,
    cancel: (id, o) =>
      request<JobView>('POST', `${jobPath(id)}/cancel`, undefined, o?.timeoutMs ?? defaultTimeout, o?.signal),
    events,
    me: (query = {}, o) =>
      read(`/api/me${query.node === undefined ? '' : `?node=${encodeURIComponent(query.node)}`}`, o),
    liveEvents: (o) =>
      followLiveEvents({ url: `${server}/api/events`, headers: authHeaders(), fetch: fetchImpl }, o?.signal),
    async waitForJob(id, o) {
      // Drain the stream; its end means the job ended.
      for await (const _event of events(id, o?.signal ? { signal: o.signal } : {})) void _event;
      return job(id, o?.signal ? { signal: o.signal } : {});
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
