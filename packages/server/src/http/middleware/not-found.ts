import { OpenClawError } from '@openclaw-node/core';
import type { AppContext } from '../app-state.js';

/**
 * Give unmatched routes (404) and wrong methods (405, Allow header set by the router) a JSON error:
 * throws when the routes left the request without a body. Called by the error handler once the rest
 * of the chain returned, so it costs no middleware layer of its own.
 */
export function assertAnswered(ctx: AppContext): void {
  if (ctx.body !== undefined && ctx.body !== null) return;
  if (ctx.status === 405 || ctx.status === 501) {
    throw new OpenClawError(
      'METHOD_NOT_ALLOWED',
      `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('Allow') || 'another method'}`,
      {
        details: { method: ctx.method, allow: ctx.response.get('Allow') },
      },
    );
  }
  if (ctx.status === 404) {
    throw new OpenClawError('ROUTE_NOT_FOUND', `No route ${ctx.method} ${ctx.path}`, {
      details: { method: ctx.method, path: ctx.path },
    });
  }
}
