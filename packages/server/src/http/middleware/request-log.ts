import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../app-state.js';

/** One log line per request: method, path, status, duration and caller name (headers never logged). */
export function requestLog(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    // At warn and above no request line is written: skip the timing and the entry.
    if (!logger.isLevelEnabled('debug') && (!logger.isLevelEnabled('info') || ctx.path === '/api/health')) {
      await next();
      return;
    }
    const started = performance.now();
    try {
      await next();
    } finally {
      const entry = {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(performance.now() - started),
        caller: ctx.state.principal?.name,
      };
      if (ctx.path === '/api/health') logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    }
  };
}
