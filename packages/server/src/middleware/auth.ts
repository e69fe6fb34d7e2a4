import type { Middleware } from 'koa';
import type { AuthProvider } from '../auth/auth-provider.js';
import { authenticate, parseBearer } from '../auth/bearer.js';
import type { AppState } from '../app-state.js';

const PUBLIC_PATHS = new Set(['/api/health', '/api/health/']);

/**
 * Require `Authorization: Bearer <token>` with the operator role on every path but health. Checking
 * everything but an allow-list means a route added later, or a path spelled in another case, is never
 * public by accident.
 */
export function requireAuth(provider: AuthProvider): Middleware<AppState> {
  return async (ctx, next) => {
    if (!PUBLIC_PATHS.has(ctx.path.toLowerCase())) {
      const token = parseBearer(ctx.get('authorization') || undefined);
      ctx.state.principal = await authenticate(provider, token, 'operator');
    }
    await next();
  };
}
