import { OPENCLAW_VERSION, type HealthResponse } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import type { NodeRegistry } from '../../nodes/node-registry.js';
import type { PendingJobs } from '../../jobs/pending-jobs.js';

/** `GET /api/health`: the one route without auth. */
export function healthRoutes(
  router: Router<AppState>,
  deps: { registry: NodeRegistry; jobs: PendingJobs; startedAt: number },
): void {
  router.get('/api/health', (ctx) => {
    const body: HealthResponse = {
      status: 'ok',
      version: OPENCLAW_VERSION,
      nodes_connected: deps.registry.size,
      pending_commands: deps.jobs.size,
      uptime_s: Math.floor((Date.now() - deps.startedAt) / 1000),
      timestamp: new Date().toISOString(),
    };
    ctx.body = body;
  });
}
