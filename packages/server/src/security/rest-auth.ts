import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import type { Middleware, Next } from 'koa';
import type { AppContext, AppState } from '../http/app-state.js';
import type { AuditLog } from './audit/audit-log.js';
import type { AuthProvider, Principal } from './auth/auth-provider.js';
import { parseBearer } from './auth/bearer.js';
import { assertCanSeeNode, assertRestAccess } from './auth/permissions.js';
import { AUTH_FAILURE_CODES, type AuthAttempt, type AuthGuard } from './auth-guard.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { isThenable } from './thenable.js';

/** What the REST auth middleware needs beyond the provider. */
export interface RestSecurity {
  guard: AuthGuard;
  audit: AuditLog;
  trustProxy: TrustProxy;
}

const PUBLIC_PATHS = new Set(['/api/health', '/api/health/']);
const NODE_PATH = /^\/api\/nodes\/([^/]+)(\/.*)?$/;

/** The node id a route under `/api/nodes/<id>` is about, if any. */
function nodeIdOf(path: string): { nodeId: string; rest: string } | undefined {
  const match = NODE_PATH.exec(path);
  if (!match) return undefined;
  try {
    return { nodeId: decodeURIComponent(match[1]!), rest: match[2] ?? '' };
  } catch {
    return undefined; // a malformed escape: the router answers 404
  }
}

/**
 * Authenticate every `/api` request but health, then authorise what the path alone tells: agent
 * tokens never, viewers only read, node-scoped tokens only their nodes' routes (403 before any body
 * is read). Addresses over their failed-authentication budget get 429 without their credential being
 * looked at. Checking everything but an allow-list means a route added later is never public by accident.
 */
export function restAuth(provider: AuthProvider, security?: RestSecurity): Middleware<AppState> {
  // Synchronous while every step answers at once (token file, in-process failure counter): an async
  // frame and two awaits per request less. A provider or counter that returns a promise (JWT, Redis)
  // takes the same steps through it.
  return (ctx, next) => {
    const address = clientAddress(
      ctx.req.socket.remoteAddress,
      ctx.req.headers['x-forwarded-for'],
      security?.trustProxy ?? false,
    );
    ctx.state.clientAddress = address;
    if (PUBLIC_PATHS.has(ctx.path.toLowerCase())) return next();
    const attempt: AuthAttempt = { address, channel: 'rest', method: ctx.method, path: ctx.path };
    const gate = security?.guard.assertNotLimited(attempt);
    if (gate) return gate.then(() => identify(ctx, next, attempt));
    return identify(ctx, next, attempt);
  };

  function identify(ctx: AppContext, next: Next, attempt: AuthAttempt): Promise<unknown> {
    let principal: ReturnType<AuthProvider['authenticate']>;
    try {
      principal = provider.authenticate(parseBearer(ctx.get('authorization') || undefined));
    } catch (error) {
      return refuse(attempt, error);
    }
    // Any thenable, not only a native Promise: an AuthProvider may be anyone's code.
    if (isThenable(principal)) {
      return Promise.resolve(principal).then(
        (found) => admit(ctx, next, attempt, found),
        (error: unknown) => refuse(attempt, error),
      );
    }
    return admit(ctx, next, attempt, principal);
  }

  function admit(
    ctx: AppContext,
    next: Next,
    attempt: AuthAttempt,
    principal: Principal | null,
  ): Promise<unknown> {
    if (!principal) return refuse(attempt, new OpenClawError('AUTH_INVALID', 'The token is not valid'));
    ctx.state.principal = principal;
    const node = nodeIdOf(ctx.path);
    try {
      assertRestAccess(principal, ctx.method);
      if (node) assertCanSeeNode(principal, node.nodeId);
    } catch (error) {
      if (node && /^\/exec\/?$/.test(node.rest) && isOpenClawError(error)) {
        security?.audit.record({
          event: 'exec.denied',
          principal: principal.name,
          roles: principal.roles,
          ...(principal.via ? { via: principal.via } : {}),
          address: attempt.address,
          node_id: node.nodeId,
          outcome: error.code,
          status: error.status,
          reason: error.message,
        });
      }
      throw error;
    }
    return next();
  }

  /** A failed authentication is counted (AUTH_REQUIRED, AUTH_INVALID) before it is thrown on. */
  async function refuse(attempt: AuthAttempt, error: unknown): Promise<never> {
    if (isOpenClawError(error) && AUTH_FAILURE_CODES.has(error.code))
      await security?.guard.recordFailure(attempt, error);
    throw error;
  }
}
