import type { Middleware } from 'koa';
import type { AppState } from '../http/app-state.js';
import type { AuthProvider } from './auth/auth-provider.js';
import { restAuth, type RestSecurity } from './rest-auth.js';

/**
 * Require `Authorization: Bearer <token>` on every path but health, with a role that may use the REST
 * API and, for `/api/nodes/<id>` routes, a token covering that node (see security/rest-auth.ts).
 */
export function requireAuth(provider: AuthProvider, security?: RestSecurity): Middleware<AppState> {
  return restAuth(provider, security);
}
