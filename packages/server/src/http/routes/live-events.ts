import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { AppState } from '../app-state.js';
import type { AuthProvider } from '../../security/auth/auth-provider.js';
import { parseBearer } from '../../security/auth/bearer.js';
import { canUseRest } from '../../security/auth/permissions.js';
import type { JobStore } from '../../jobs/index.js';
import { LiveEventStream } from '../live-event-stream.js';
import type { NodeRegistry } from '../../nodes/node-registry.js';
import type { PendingJobs } from '../../jobs/pending-jobs.js';
import type { SecurityLimits } from '../../security/security-options.js';
import { admitStream, serveEventStream, type EventStreams } from './job-events.js';

/** `GET /api/events`: the fleet and job state changes as Server-Sent Events (see LiveEventStream). */
export function liveEventRoutes(
  router: Router<AppState>,
  deps: {
    registry: NodeRegistry;
    jobs: PendingJobs;
    store: JobStore;
    streams: EventStreams;
    auth: AuthProvider;
    heartbeatMs: number;
    logger: Logger;
    limits: Pick<SecurityLimits, 'eventStreamsPerToken' | 'eventStreamsPerAddress'>;
  },
): void {
  router.get('/api/events', (ctx) => {
    const header = ctx.get('authorization') || undefined;
    // The same per-token and per-address caps as job event streams: a page left open counts as one.
    const release = admitStream(ctx, deps.streams, deps.limits);
    const stream = new LiveEventStream({
      registry: deps.registry,
      jobs: deps.jobs,
      store: deps.store,
      principal: ctx.state.principal,
      heartbeatMs: deps.heartbeatMs,
      stillValid: async () => {
        const principal = await deps.auth.authenticate(parseBearer(header));
        return principal !== null && canUseRest(principal);
      },
      logger: deps.logger,
    });
    serveEventStream(ctx, stream, deps.streams, release);
  });
}
