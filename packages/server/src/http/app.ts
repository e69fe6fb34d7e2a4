import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { AppState } from './app-state.js';
import type { AuthProvider } from '../security/auth/auth-provider.js';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { FanOut } from '../jobs/fan-out.js';
import type { JobStore } from '../jobs/index.js';
import { requireAuth } from '../security/auth-middleware.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestLog } from './middleware/request-log.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import type { RestSecurity } from '../security/rest-auth.js';
import { DEFAULT_LIMITS, type SecurityLimits } from '../security/security-options.js';
import { execRoutes } from './routes/exec.js';
import { healthRoutes } from './routes/health.js';
import { jobEventRoutes, type EventStreams } from './routes/job-events.js';
import { jobRoutes } from './routes/jobs.js';
import { liveEventRoutes } from './routes/live-events.js';
import { meRoutes } from './routes/me.js';
import { nodeRoutes } from './routes/nodes.js';
import { pluginRoutes } from './routes/plugins.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { metricsRoutes } from '../metrics/metrics-route.js';
import { openApiRoutes } from './openapi/openapi-route.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';

export interface AppDeps {
  registry: NodeRegistry;
  catalog: PluginCatalog;
  jobs: PendingJobs;
  dispatcher: Dispatcher;
  fanOut: FanOut;
  store: JobStore;
  streams: EventStreams;
  /** Comment lines on idle event streams. */
  sseHeartbeatMs: number;
  auth: AuthProvider;
  /** Failed-auth limits, audit and proxy trust for the REST API. */
  security?: RestSecurity;
  logger: Logger;
  maxBodyBytes: number;
  startedAt: number;
  /** The REST limits (body read time, event streams, page bytes); defaults when absent. */
  limits?: RestLimits;
  /** Prometheus metrics: `GET /metrics` and the REST observations (absent when disabled). */
  metrics?: ServerMetrics;
}

/** The limits the REST routes apply themselves. */
export type RestLimits = Pick<
  SecurityLimits,
  | 'bodyReadTimeoutMs'
  | 'eventStreamsPerToken'
  | 'eventStreamsPerAddress'
  | 'eventStreamIdleMs'
  | 'maxJobPageBytes'
>;

/** The Koa app of the REST API: log → errors (and JSON 404/405) → dashboard files → auth → routes. */
export function createApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = false;
  // Every request error is answered by errorHandler; this only sees what escapes it (a broken socket).
  app.on('error', (err: unknown) => deps.logger.warn({ err }, 'response failed'));
  const router = new Router<AppState>({ sensitive: true });
  // The exec routes first, in a router of their own: an exec is matched against two routes, not all.
  const execRouter = new Router<AppState>({ sensitive: true });
  const limits = deps.limits ?? DEFAULT_LIMITS;
  execRoutes(execRouter, { ...deps, bodyReadTimeoutMs: limits.bodyReadTimeoutMs });
  healthRoutes(router, deps);
  nodeRoutes(router, deps);
  pluginRoutes(router, deps);
  jobRoutes(router, { ...deps, maxPageBytes: limits.maxJobPageBytes });
  jobEventRoutes(router, { ...deps, heartbeatMs: deps.sseHeartbeatMs, limits });
  if (deps.metrics) metricsRoutes(router, { metrics: deps.metrics });
  openApiRoutes(router, deps);
  meRoutes(router, deps);
  liveEventRoutes(router, { ...deps, heartbeatMs: deps.sseHeartbeatMs, limits });

  app.use(requestLog(deps.logger, deps.metrics ? httpMetrics(deps.metrics) : undefined));
  app.use(errorHandler(deps.logger));
  app.use((ctx, next) => {
    // Straight to the response: ctx.set builds arrays to normalise what these constants do not need.
    ctx.res.setHeader('Cache-Control', 'no-store');
    ctx.res.setHeader('X-Content-Type-Options', 'nosniff');
    return next();
  });
  // The web dashboard's page and assets (no data in them): before auth, everything else after it.
  app.use(serveDashboard(deps.logger));
  app.use(requireAuth(deps.auth, deps.security));
  app.use(execRouter.routes());
  app.use(router.routes());
  // After both routers: `ctx.matched` holds the layers of both, so a wrong method on an exec route
  // gets its 405 and Allow header here too.
  app.use(router.allowedMethods());
  return app;
}
