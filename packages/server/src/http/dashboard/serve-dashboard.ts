import { OpenClawError } from '@openclaw-node/core';
import type { Middleware, Next } from 'koa';
import type { Logger } from 'pino';
import type { AppContext, AppState } from '../app-state.js';
import {
  DASHBOARD_ROUTES,
  defaultDashboardDir,
  loadDashboardFiles,
  type DashboardFile,
} from './dashboard-files.js';
import { DASHBOARD_HEADERS } from './page-headers.js';

/**
 * Serve the web dashboard's built files at `/` (without auth: the page holds no data, it signs in
 * against the API), with the page's security headers, gzip when accepted and ETag revalidation.
 * Every other path goes on to the API's middleware.
 */
export function serveDashboard(logger: Logger, dir = defaultDashboardDir()): Middleware<AppState> {
  let files: Promise<Map<string, DashboardFile>> | undefined;
  // Every other request passes straight on (no async layer of its own).
  return (ctx, next) => {
    const name = DASHBOARD_ROUTES[ctx.path];
    if (name === undefined || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    return serve(ctx, next, name);
  };

  async function serve(ctx: AppContext, next: Next, name: string): Promise<void> {
    if (dir === undefined) {
      throw new OpenClawError(
        'ROUTE_NOT_FOUND',
        'The dashboard is not built: run `npm run build` in the repository (REST stays under /api)',
        { details: { path: ctx.path } },
      );
    }
    files ??= loadDashboardFiles(dir).then((loaded) => {
      if (!loaded.has('index.html')) logger.warn({ dir }, 'dashboard: index.html missing');
      return loaded;
    });
    const file = (await files).get(name);
    if (!file) {
      await next();
      return;
    }
    ctx.set(DASHBOARD_HEADERS);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', file.etag);
    ctx.vary('Accept-Encoding');
    if (ctx.get('if-none-match') === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = file.type;
    if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = file.gzip;
    } else {
      ctx.body = file.body;
    }
  }
}
