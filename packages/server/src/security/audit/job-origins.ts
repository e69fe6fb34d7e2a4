import type { Principal } from '../auth/auth-provider.js';

/** Where a job's request came from, for its audit record. */
export interface JobOrigin {
  address?: string;
  roles?: readonly string[];
  via?: string;
}

/** Jobs whose origin is remembered at most (the oldest are forgotten first). */
const MAX_OPEN_JOBS = 100_000;

/**
 * The origin of each job this process created, from the request that created it (passed down as an
 * argument), until the job's end is audited. Remembers nothing when the audit is off.
 */
export class JobOrigins {
  readonly #origins = new Map<string, JobOrigin>();
  readonly #enabled: boolean;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  note(commandId: string, caller: { address?: string | undefined; principal?: Principal | undefined }): void {
    if (!this.#enabled) return;
    const { address, principal } = caller;
    this.#origins.set(commandId, {
      ...(address === undefined ? {} : { address }),
      ...(principal ? { roles: principal.roles, via: principal.via } : {}),
    });
    if (this.#origins.size > MAX_OPEN_JOBS) this.#origins.delete(this.#origins.keys().next().value!);
  }

  has(commandId: string): boolean {
    return this.#origins.has(commandId);
  }

  /** The origin, forgotten from now on. */
  take(commandId: string): JobOrigin | undefined {
    const origin = this.#origins.get(commandId);
    this.#origins.delete(commandId);
    return origin;
  }
}
