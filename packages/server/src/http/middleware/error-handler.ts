import {
  OpenClawError,
  isOpenClawError,
  toErrorPayload,
  type ErrorBody,
  type ErrorCode,
} from '@openclaw-node/core';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../app-state.js';
import { CallerWentAway } from '../../jobs/caller-signal.js';
import { assertAnswered } from './not-found.js';

const TIMEOUT_CODES = new Set(['NODE_TIMEOUT', 'TIMEOUT']);

/** The REST error body of an OpenClawError: `status` is "timeout" for the timeout codes. */
export function toErrorBody(error: OpenClawError, commandId?: string): ErrorBody {
  const body: ErrorBody = {
    status: TIMEOUT_CODES.has(error.code) ? 'timeout' : 'error',
    error: toErrorPayload(error),
  };
  if (commandId !== undefined) body.command_id = commandId;
  return body;
}

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'INVALID_BODY',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Errors thrown by Koa or its dependencies (http-errors) that are safe to show a client. */
function fromHttpError(error: unknown): OpenClawError | undefined {
  const e = error as { status?: unknown; expose?: unknown };
  if (typeof e?.status !== 'number' || e.expose !== true) return undefined;
  const code = HTTP_STATUS_CODES[e.status];
  return code ? new OpenClawError(code) : undefined;
}

/**
 * Turn every thrown error into `{ status, error: { code, message, details? } }`, and a request no
 * route answered into ROUTE_NOT_FOUND / METHOD_NOT_ALLOWED. Client errors keep their message;
 * anything unknown becomes INTERNAL_ERROR and is logged, never shown. A caller that hung up gets no
 * answer and an info line, not an error with a stack.
 */
export function errorHandler(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      assertAnswered(ctx);
    } catch (thrown) {
      if (thrown instanceof CallerWentAway) {
        // Nobody is left to answer; the job path has already cancelled what the call started. The
        // request log and the metrics still read an outcome: the job's (CANCELLED), with the status
        // proxies give a request its client closed (499, which Koa's setter refuses). Nothing is written.
        logger.info({ method: ctx.method, path: ctx.path }, thrown.message);
        ctx.body = toErrorBody(new OpenClawError('CANCELLED', thrown.message));
        ctx.res.statusCode = 499;
        ctx.respond = false;
        return;
      }
      const error = isOpenClawError(thrown) ? thrown : fromHttpError(thrown);
      if (!error || error.status >= 500) {
        logger.error({ err: thrown, method: ctx.method, path: ctx.path }, 'request failed');
      }
      const known = error ?? new OpenClawError('INTERNAL_ERROR');
      ctx.status = known.status;
      ctx.body = toErrorBody(known);
      if (known.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="openclaw"');
      const retryAfter = known.details?.retry_after_s;
      if (known.status === 429 && typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
    }
  };
}
