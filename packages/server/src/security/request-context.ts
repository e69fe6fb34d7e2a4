import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/auth-provider.js';

/** Who is asking, available to code deep inside a request (the audit of the jobs it creates). */
export interface RequestContext {
  address: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Run `work` with `context` as the current request context. */
export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the request this code runs for, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
