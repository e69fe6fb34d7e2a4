import { OpenClawError } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../http/app-state.js';
import { isNodeScoped } from '../security/auth/permissions.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * `GET /metrics` on the API port: a token with the viewer role or more (the auth middleware checks
 * the role, as on every route), not limited to some nodes — the figures are the whole fleet's.
 */
export function metricsRoutes(router: Router<AppState>, deps: { metrics: ServerMetrics }): void {
  router.get('/metrics', async (ctx) => {
    if (isNodeScoped(ctx.state.principal)) {
      throw new OpenClawError(
        'FORBIDDEN',
        `The token "${ctx.state.principal!.name}" sees only some nodes; /metrics describes the whole fleet`,
        { details: { path: '/metrics' } },
      );
    }
    const text = await deps.metrics.render();
    ctx.type = deps.metrics.contentType;
    ctx.body = text;
  });
}
