import type { ParameterizedContext } from 'koa';
import type { Principal } from '../security/auth/auth-provider.js';

/** `ctx.state` of every request. */
export interface AppState {
  /** Set by the auth middleware on every route but health. */
  principal?: Principal;
  /** The client's address (X-Forwarded-For only with trustProxy), set before auth. */
  clientAddress?: string;
  /** The parsed JSON body, set by readJsonBody (read-json-body.ts). */
  body?: unknown;
}

export type AppContext = ParameterizedContext<AppState>;
