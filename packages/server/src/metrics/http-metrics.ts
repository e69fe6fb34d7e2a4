import type { RequestObserver } from '../http/middleware/request-log.js';
import { AUTH_CODES } from './instrument.js';
import type { ServerMetrics } from './server-metrics.js';

const NODE_EXEC = /^\/api\/nodes\/[^/]+\/exec\/?$/;
const FAN_OUT = /^\/api\/exec\/?$/;

/**
 * What the REST API reports into the metrics, once per answered request (from the request log
 * middleware, the outermost: it sees the answer the error handler wrote): exec requests by route,
 * action and outcome with their latency; refused authentications; rate-limited requests. Other
 * requests cost a method and a status comparison.
 */
export function httpMetrics(metrics: ServerMetrics): RequestObserver {
  return (ctx, ms) => {
    const status = ctx.status;
    if (ctx.method === 'POST') {
      const route = execRoute(ctx.path);
      if (route !== undefined) {
        const code =
          status === 202 ? 'accepted' : status < 300 ? 'ok' : (errorCode(ctx.body) ?? String(status));
        metrics.exec(route, actionOf(ctx.state.body), code, ms / 1000);
      }
    }
    if (status === 401 || status === 403) {
      const code = errorCode(ctx.body);
      if (code !== undefined && AUTH_CODES.has(code)) metrics.authFailure('rest', code);
    } else if (status === 429) {
      metrics.rateLimited('rest');
    }
  };
}

function execRoute(path: string): 'node' | 'fan_out' | undefined {
  if (FAN_OUT.test(path)) return 'fan_out';
  if (NODE_EXEC.test(path)) return 'node';
  return undefined;
}

function actionOf(body: unknown): string {
  const action =
    typeof body === 'object' && body !== null ? (body as { action?: unknown }).action : undefined;
  return typeof action === 'string' ? action : 'none';
}

function errorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: { code?: unknown } }).error;
  return typeof error?.code === 'string' ? error.code : undefined;
}
