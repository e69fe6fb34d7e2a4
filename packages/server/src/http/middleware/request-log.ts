import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../app-state.js';

/** Told about every answered request (the metrics), with its duration in ms. */
export type RequestObserver = (ctx: ParameterizedContext<AppState>, ms: number) => void;

/**
 * Outermost middleware (it sees the answer the error handler wrote): one log line per request —
 * method, path, status, duration and caller name (headers never logged) — and the request observer.
 * One layer for both, and none at all when neither wants the request (at warn, without metrics).
 */
export function requestLog(logger: Logger, observe?: RequestObserver): Middleware<AppState> {
  return (ctx, next) => {
    // At warn and above no request line is written: skip the timing and the entry.
    const log =
      logger.isLevelEnabled('debug') || (logger.isLevelEnabled('info') && ctx.path !== '/api/health');
    if (!log && observe === undefined) return next();
    return timed(ctx, next, log ? logger : undefined, observe);
  };
}

async function timed(
  ctx: ParameterizedContext<AppState>,
  next: () => Promise<unknown>,
  logger: Logger | undefined,
  observe: RequestObserver | undefined,
): Promise<void> {
  const started = performance.now();
  try {
    await next();
  } finally {
    const ms = performance.now() - started;
    observe?.(ctx, ms);
    if (logger) {
      const entry = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms),
        caller: ctx.state.principal?.name,
      };
      if (ctx.path === '/api/health') logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    }
  }
}
