import { OpenClawError } from '@openclaw-node/core';
import { hasRole, principalKey, type Principal } from './auth/auth-provider.js';
import { matchesAny } from './auth/globs.js';
import type { JobStore } from '../jobs/index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { SecurityLimits } from './security-options.js';

type QueueLimits = Pick<
  SecurityLimits,
  | 'maxQueuedJobsPerRequest'
  | 'maxQueuedJobsPerToken'
  | 'maxStoredParamsBytesPerRequest'
  | 'maxQueuedParamsBytesPerToken'
>;

export interface QueueGuardOptions {
  registry: NodeRegistry;
  /** Told when queued jobs leave the `queued` state, so their reservation is given back. */
  store: Pick<JobStore, 'subscribe'>;
  limits: QueueLimits;
  /** Node-id globs that may be queued for without having connected (`knownNodes`). */
  knownNodes?: readonly string[];
  /** Node ids remembered as seen at most; the oldest are forgotten first. Default 100,000. */
  maxSeen?: number;
}

/** What one request stores. */
export interface StoreRequest {
  /** Jobs it makes (each stores a copy of the params). */
  jobs: number;
  /** Of those, jobs that wait in the offline queue for a node that is not connected. */
  queued: number;
  /** The params' JSON size in bytes (one copy). */
  paramsBytes: number;
}

/** The queue room one request holds until its queued jobs run, end or it fails. */
export interface QueueReservation {
  /** The queued jobs the request stored: each holds its share until it leaves `queued`. */
  attach(commandIds: readonly string[]): void;
  /** Give back what was not attached (the request failed, or fewer jobs were queued). */
  release(): void;
}

interface Held {
  jobs: number;
  bytes: number;
}

const NO_ROOM: QueueReservation = { attach: () => undefined, release: () => undefined };

/**
 * The server's answer to "one request stores thousands of jobs": queueing only for node ids the
 * server knows (connected since it started, or listed in `knownNodes`), and caps per request and per
 * token on queued jobs and stored params bytes. Counts live in this process (O(1) per request and per
 * job event); in scale-out mode each process counts its own requests.
 */
export class QueueGuard {
  readonly #o: QueueGuardOptions;
  readonly #seen = new Set<string>();
  readonly #byToken = new Map<string, Held>();
  readonly #byJob = new Map<string, { key: string; bytes: number }>();
  /** Jobs that left `queued` before their request attached them (a node that connected at once). */
  readonly #left = new Set<string>();
  /** Reservations admitted and not yet released: only while one is open can a job leave before attach. */
  #open = 0;

  constructor(options: QueueGuardOptions) {
    this.#o = options;
    const maxSeen = options.maxSeen ?? 100_000;
    options.registry.onChange(({ type, session }) => {
      if (type !== 'register') return;
      this.#seen.delete(session.nodeId);
      this.#seen.add(session.nodeId);
      if (this.#seen.size > maxSeen) this.#seen.delete(this.#seen.values().next().value!);
    });
    options.store.subscribe((event) => {
      if (event.type === 'state' && event.data.state !== 'queued') this.#free(event.job_id);
    });
  }

  /** True when a job may be queued for `nodeId` by anyone: connected, seen, or in `knownNodes`. */
  knows(nodeId: string): boolean {
    return (
      this.#seen.has(nodeId) ||
      this.#o.registry.get(nodeId) !== undefined ||
      (this.#o.knownNodes !== undefined &&
        this.#o.knownNodes.length > 0 &&
        matchesAny(this.#o.knownNodes, nodeId))
    );
  }

  /** NODE_UNKNOWN (403) unless the principal may queue for every one of `nodeIds`. */
  assertMayQueueFor(principal: Principal | undefined, nodeIds: readonly string[]): void {
    if (principal === undefined || principal.queueUnknownNodes === true || hasRole(principal, 'admin'))
      return;
    const unknown = nodeIds.filter((id) => !this.knows(id));
    if (unknown.length === 0) return;
    const shown = unknown.slice(0, 20);
    throw new OpenClawError(
      'NODE_UNKNOWN',
      `No agent with node id ${shown.map((id) => `"${id}"`).join(', ')}${unknown.length > shown.length ? ` (and ${unknown.length - shown.length} more)` : ''} has connected since the server started, so no job can be queued for it: check the id, add it to knownNodes (OPENCLAW_KNOWN_NODES), or use a token with queue_unknown_nodes: true`,
      {
        details: { field: 'node_id', node_ids: shown, unknown: unknown.length, token: principal.name },
      },
    );
  }

  /**
   * Check one request against the per-request caps, and reserve its queued jobs against the
   * caller's per-token caps. Throws BATCH_TOO_LARGE (413) or QUEUE_LIMIT (429).
   */
  admit(principal: Principal | undefined, request: StoreRequest): QueueReservation {
    const { limits } = this.#o;
    if (request.queued > limits.maxQueuedJobsPerRequest) {
      throw new OpenClawError(
        'BATCH_TOO_LARGE',
        `This request would queue ${request.queued} jobs for nodes that are not connected; one request may queue at most ${limits.maxQueuedJobsPerRequest} (limits.maxQueuedJobsPerRequest)`,
        {
          details: { field: 'body.target', queued: request.queued, limit: limits.maxQueuedJobsPerRequest },
        },
      );
    }
    const stored = request.paramsBytes * request.jobs;
    if (stored > limits.maxStoredParamsBytesPerRequest) {
      throw new OpenClawError(
        'BATCH_TOO_LARGE',
        `This request would store ${request.jobs} copies of ${request.paramsBytes} bytes of params (${stored} bytes); one request may store at most ${limits.maxStoredParamsBytesPerRequest} (limits.maxStoredParamsBytesPerRequest): send paths rather than contents, or fewer nodes`,
        {
          details: {
            field: 'body.params',
            jobs: request.jobs,
            bytes: stored,
            limit: limits.maxStoredParamsBytesPerRequest,
          },
        },
      );
    }
    if (request.queued === 0 || principal === undefined) return NO_ROOM;
    const key = principalKey(principal);
    const held = this.#byToken.get(key) ?? { jobs: 0, bytes: 0 };
    const bytes = request.paramsBytes * request.queued;
    const over =
      held.jobs + request.queued > limits.maxQueuedJobsPerToken
        ? {
            what: 'jobs',
            has: held.jobs,
            limit: limits.maxQueuedJobsPerToken,
            field: 'maxQueuedJobsPerToken',
          }
        : held.bytes + bytes > limits.maxQueuedParamsBytesPerToken
          ? {
              what: 'params bytes',
              has: held.bytes,
              limit: limits.maxQueuedParamsBytesPerToken,
              field: 'maxQueuedParamsBytesPerToken',
            }
          : undefined;
    if (over) {
      throw new OpenClawError(
        'QUEUE_LIMIT',
        `The token "${principal.name}" has ${over.has} ${over.what} waiting in the queue; with this request it would pass its limit of ${over.limit} (limits.${over.field}). Wait for queued jobs to run or expire, or cancel some`,
        { details: { token: principal.name, queued: held.jobs, limit: over.limit, limit_name: over.field } },
      );
    }
    held.jobs += request.queued;
    held.bytes += bytes;
    this.#byToken.set(key, held);
    let jobsLeft = request.queued;
    const share = request.paramsBytes;
    let open = true;
    this.#open++;
    const giveBack = (jobs: number): void => {
      const now = this.#byToken.get(key);
      if (!now || jobs <= 0) return;
      now.jobs -= jobs;
      now.bytes -= jobs * share;
      if (now.jobs <= 0) this.#byToken.delete(key);
    };
    return {
      attach: (commandIds) => {
        for (const id of commandIds) {
          if (jobsLeft <= 0) break;
          if (this.#left.delete(id)) continue;
          jobsLeft -= 1;
          this.#byJob.set(id, { key, bytes: share });
        }
      },
      release: () => {
        giveBack(jobsLeft);
        jobsLeft = 0;
        if (!open) return;
        open = false;
        if (--this.#open === 0) this.#left.clear();
      },
    };
  }

  /** How many jobs a principal has waiting (tests and diagnostics). */
  queuedBy(principal: Principal): number {
    return this.#byToken.get(principalKey(principal))?.jobs ?? 0;
  }

  #free(commandId: string): void {
    const job = this.#byJob.get(commandId);
    if (!job) {
      // Every immediate job ends here too: remembered only while a request may still attach it.
      if (this.#open === 0) return;
      this.#left.add(commandId);
      if (this.#left.size > 1000) this.#left.delete(this.#left.values().next().value!);
      return;
    }
    this.#byJob.delete(commandId);
    const held = this.#byToken.get(job.key);
    if (!held) return;
    held.jobs -= 1;
    held.bytes -= job.bytes;
    if (held.jobs <= 0) this.#byToken.delete(job.key);
  }
}

/** The JSON size of params in bytes (what each stored job keeps a copy of). */
export function paramsBytes(params: unknown): number {
  return Buffer.byteLength(JSON.stringify(params ?? {}), 'utf8');
}
