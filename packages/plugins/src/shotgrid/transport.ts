import { OpenClawError } from '@openclaw-node/plugin-sdk';
import type { ShotgridConfig, ShotgridContext } from './config.js';
import {
  abortReason,
  isRetryableStatus,
  isUnprocessedStatus,
  retryDelay,
  parseRetryAfter,
  sleep,
} from './retry.js';

/** One HTTP exchange, retried as a unit. */
export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** A factory, so a retry gets a fresh body (streams cannot be replayed). */
  body?: () => NonNullable<RequestInit['body']>;
  timeoutMs: number;
  /** Safe to resend after a server error; otherwise only 429/503 and connection failures before sending are retried. */
  idempotent: boolean;
  /** The code thrown when the server cannot be reached at all (default SG_UNAVAILABLE). */
  unreachableCode?: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  attempts: number;
}

/** What a URL looks like in logs and errors: never its query, which may hold a presigned signature. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Send a request with bounded retries: exponential backoff with jitter on 429/5xx and connection
 * failures, honouring Retry-After; aborts at once with the job's signal. Returns the last response.
 */
export async function send(
  ctx: ShotgridContext,
  config: ShotgridConfig,
  request: HttpRequest,
): Promise<HttpResponse> {
  const where = `${request.method} ${describeUrl(request.url)}`;
  for (let attempt = 0; ; attempt += 1) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const timeout = AbortSignal.timeout(request.timeoutMs);
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body?.() ?? null,
        signal: AbortSignal.any([ctx.signal, timeout]),
        redirect: 'error',
        ...(request.body ? { duplex: 'half' } : {}),
      });
    } catch (error) {
      if (ctx.signal.aborted) throw abortReason(ctx.signal);
      const reason = timeout.aborted
        ? `no answer within ${request.timeoutMs / 1000} s`
        : describeFailure(error);
      // A redirect is refused (it could carry the bearer token elsewhere) and retrying will not change it.
      if (attempt < config.maxRetries && !/redirect/i.test(reason)) {
        const delay = retryDelay(attempt, config.retryBaseDelayMs);
        ctx.log.warn(`ShotGrid request failed (${reason}), retrying`, {
          request: where,
          attempt: attempt + 1,
          delay_ms: delay,
        });
        await sleep(delay, ctx.signal);
        continue;
      }
      throw new OpenClawError(
        request.unreachableCode ?? 'SG_UNAVAILABLE',
        `Cannot reach ShotGrid for ${where}: ${reason}`,
        {
          details: { url: describeUrl(request.url), attempts: attempt + 1, reason },
          cause: error,
        },
      );
    }
    const body = await readBody(response);
    ctx.log.debug('ShotGrid request', { request: where, status: response.status, attempt: attempt + 1 });
    const retryable =
      isRetryableStatus(response.status) && (request.idempotent || isUnprocessedStatus(response.status));
    if (!retryable || attempt >= config.maxRetries)
      return { status: response.status, headers: response.headers, body, attempts: attempt + 1 };
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter !== null && retryAfter > config.maxRetryAfterMs) {
      return { status: response.status, headers: response.headers, body, attempts: attempt + 1 };
    }
    const delay = retryAfter ?? retryDelay(attempt, config.retryBaseDelayMs);
    ctx.log.warn(`ShotGrid answered ${response.status}, retrying`, {
      request: where,
      attempt: attempt + 1,
      delay_ms: delay,
    });
    await sleep(delay, ctx.signal);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2000);
  }
}

function describeFailure(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
