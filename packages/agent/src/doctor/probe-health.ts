import { parseServerUrl } from '../connection/server-url.js';

/** What `GET /api/health` said, or why it could not be asked. */
export type HealthProbe =
  | { ok: true; url: string; latencyMs: number; version: string; nodesConnected: number }
  | {
      ok: false;
      url: string;
      code: 'SERVER_UNREACHABLE' | 'REQUEST_TIMEOUT' | 'INVALID_RESPONSE';
      message: string;
    };

export interface ProbeHealthOptions {
  /** The agent's `server_url` (ws://, wss://, http:// or https://). */
  serverUrl: string;
  /** Default 5 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Ask the server's health route (no token needed) and time the answer. Never throws for a server
 * that is down or is not an OpenClaw server: that is `ok: false` with a code and a message.
 * @example const health = await probeServerHealth({ serverUrl: 'ws://pipeline:8765/ws' })
 */
export async function probeServerHealth(options: ProbeHealthOptions): Promise<HealthProbe> {
  const { origin } = parseServerUrl(options.serverUrl, 'server_url');
  const url = `${origin}/api/health`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      return {
        ok: false,
        url,
        code: 'REQUEST_TIMEOUT',
        message: `${url} did not answer within ${timeoutMs} ms`,
      };
    }
    return {
      ok: false,
      url,
      code: 'SERVER_UNREACHABLE',
      message: `cannot reach ${url}: ${networkReason(error)}`,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const health = body as { status?: unknown; version?: unknown; nodes_connected?: unknown } | undefined;
  if (!response.ok || health?.status !== 'ok' || typeof health.version !== 'string') {
    return {
      ok: false,
      url,
      code: 'INVALID_RESPONSE',
      message: `${url} answered HTTP ${response.status}, but not as an OpenClaw server does: is server_url the OpenClaw server's address?`,
    };
  }
  return {
    ok: true,
    url,
    latencyMs,
    version: health.version,
    nodesConnected: typeof health.nodes_connected === 'number' ? health.nodes_connected : 0,
  };
}

/** The most useful words of a fetch or socket failure: `connect ECONNREFUSED 127.0.0.1:8765`. */
export function networkReason(error: unknown): string {
  let current: unknown = error;
  let best = error instanceof Error ? error.message : String(error);
  // fetch wraps the real cause (ECONNREFUSED, ENOTFOUND, a certificate error) one or two levels down.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message !== '' && message !== 'fetch failed') {
      best = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return best;
}
