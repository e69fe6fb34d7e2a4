import http from 'node:http';
import https from 'node:https';
import { parseServerUrl } from '../connection/server-url.js';
import { loadProbeTrust, tlsProblem } from './probe-trust.js';

/** What `GET /api/health` said, or why it could not be asked. */
export type HealthProbe =
  | { ok: true; url: string; latencyMs: number; version: string; nodesConnected: number }
  | {
      ok: false;
      url: string;
      /** TLS_UNTRUSTED: the server's certificate; CONFIG_INVALID: the `ca:` file cannot be used. */
      code:
        'SERVER_UNREACHABLE' | 'REQUEST_TIMEOUT' | 'INVALID_RESPONSE' | 'TLS_UNTRUSTED' | 'CONFIG_INVALID';
      message: string;
    };

export interface ProbeHealthOptions {
  /** The agent's `server_url` (ws://, wss://, http:// or https://). */
  serverUrl: string;
  /** The agent's `ca:` file: trusted besides the system's CAs, as the agent's connection does. */
  ca?: string | undefined;
  /** Default 5 s. */
  timeoutMs?: number;
}

/** An OpenClaw health answer is a few hundred bytes; anything this large is not one. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Ask the server's health route (no token needed) and time the answer. Never throws for a server
 * that is down or is not an OpenClaw server: that is `ok: false` with a code and a message.
 * @example const health = await probeServerHealth({ serverUrl: 'wss://pipeline:8765/ws', ca: '/etc/openclaw/studio-ca.pem' })
 */
export async function probeServerHealth(options: ProbeHealthOptions): Promise<HealthProbe> {
  const { origin } = parseServerUrl(options.serverUrl, 'server_url');
  const url = `${origin}/api/health`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const trust = loadProbeTrust(options.ca);
  if (!trust.ok) return { ok: false, url, code: 'CONFIG_INVALID', message: trust.message };
  const started = performance.now();
  let answer: { status: number; text: string };
  try {
    answer = await get(url, { ca: trust.ca, timeoutMs });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      return {
        ok: false,
        url,
        code: 'REQUEST_TIMEOUT',
        message: `${url} did not answer within ${timeoutMs} ms`,
      };
    }
    const tls = tlsProblem(error, options.ca);
    if (tls) return { ok: false, url, code: 'TLS_UNTRUSTED', message: `cannot reach ${url}: ${tls}` };
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
    body = JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  const health = body as { status?: unknown; version?: unknown; nodes_connected?: unknown } | undefined;
  const success = answer.status >= 200 && answer.status < 300;
  if (!success || health?.status !== 'ok' || typeof health.version !== 'string') {
    return {
      ok: false,
      url,
      code: 'INVALID_RESPONSE',
      message: `${url} answered HTTP ${answer.status}, but not as an OpenClaw server does: is server_url the OpenClaw server's address?`,
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

/**
 * GET `url` with node:http(s) rather than fetch, which cannot be given extra CAs. Redirects are not
 * followed (a redirect is not a health answer); a timeout rejects with a TimeoutError.
 */
function get(
  url: string,
  options: { ca: string[] | undefined; timeoutMs: number },
): Promise<{ status: number; text: string }> {
  const client = url.startsWith('https:') ? https : http;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(signal.aborted ? (signal.reason as Error) : error);
    const request = client.get(
      url,
      { headers: { accept: 'application/json' }, signal, ...(options.ca ? { ca: options.ca } : {}) },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.length > MAX_ANSWER_BYTES) request.destroy(new Error('the answer is too large'));
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', fail);
      },
    );
    request.on('error', fail);
  });
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
