import { randomUUID } from 'node:crypto';
import {
  OpenClawError,
  isOpenClawError,
  parseActionId,
  toErrorPayload,
  type ExecTargetSelector,
  type FanOutJob,
  type FanOutResponse,
  type FanOutUnavailable,
} from '@openclaw-node/core';
import type { Principal } from '../security/auth/auth-provider.js';
import { canSeeNode } from '../security/auth/permissions.js';
import type { Dispatcher } from './dispatcher.js';
import { parseFanOutBody } from './exec-body.js';
import { assertSameRequest, requestFingerprint } from './idempotency.js';
import type { JobPlan, JobPlanner } from './job-planner.js';
import { jobLinks } from './job-views.js';
import type { JobRecord, JobStore } from './index.js';
import type { NodeRegistry, NodeSession } from '../nodes/node-registry.js';

export interface FanOutOptions {
  registry: NodeRegistry;
  store: JobStore;
  planner: JobPlanner;
  dispatcher: Dispatcher;
  idempotencyWindowMs: number;
}

export interface FanOutCall {
  body: unknown;
  principal?: Principal;
  signal?: AbortSignal;
  idempotencyKey?: string;
  /** The caller's address, for the audit log. */
  address?: string;
}

/** The aggregated answer and whether it waited (200) or not (202). */
export interface FanOutAnswer {
  response: FanOutResponse;
  waited: boolean;
  replay: boolean;
}

const MAX_BATCH = 1000;
/**
 * Jobs stored, then sent, per turn of the event loop. 10,000 at once hold the loop for seconds on a
 * busy machine, long enough for agents' pongs to wait past the ping timeout and their sockets to close.
 */
const CHUNK = 500;

/** `POST /api/exec`: one job per matching node, one aggregated answer. */
export class FanOut {
  readonly #o: FanOutOptions;

  constructor(options: FanOutOptions) {
    this.#o = options;
  }

  async exec(call: FanOutCall): Promise<FanOutAnswer> {
    const { planner, store } = this.#o;
    const body = parseFanOutBody(call.body);
    const target = checkTarget(body.target);
    const wait = body.wait ?? false;
    planner.ttlOf(body);
    const key = call.idempotencyKey;
    const requester = call.principal?.name ?? null;
    const fingerprint =
      key === undefined
        ? null
        : requestFingerprint({
            kind: 'fan-out',
            target,
            action: body.action,
            params: body.params ?? {},
            timeout: body.timeout ?? null,
            queue: body.queue === true,
            ttl: body.ttl ?? null,
          });
    if (key !== undefined) {
      const since = Date.now() - this.#o.idempotencyWindowMs;
      const original = await store.findByIdempotencyKey(requester, key, since);
      if (original) return this.#replay(original, fingerprint!, key, wait, call.signal, [], call.principal);
    }
    const id = parseActionId(body.action, 'action');
    const { plans, unavailable } = this.#planAll(target, id, body, call.principal);
    await this.admit(plans, body, call);
    const batchId = randomUUID();
    const origin = {
      requestedBy: requester,
      idempotencyKey: key,
      fingerprint,
      batchId,
      caller: { address: call.address, principal: call.principal },
    };
    // A chunk at once: the SQLite store writes each in one group commit.
    const results = await inChunks(plans, (chunk) =>
      Promise.all(chunk.map((plan) => planner.create(plan, body, origin))),
    );
    const lost = results.find((r) => !r.created);
    const records = results.filter((r) => r.created).map((r) => r.job);
    // A concurrent request with the same key won: answer with its batch (ours has nothing sent yet).
    if (lost) return this.#replay(lost.job, fingerprint!, key!, wait, call.signal, records, call.principal);
    await inChunks(records, (chunk, offset) =>
      chunk.map((record, i) => planner.start(record, plans[offset + i]!)),
    );
    const response: FanOutResponse = {
      batch_id: batchId,
      action: body.action,
      jobs: records.map(toFanOutJob),
      unavailable,
    };
    if (wait) await this.#waitAll(response, call.signal, true);
    return { response, waited: wait, replay: false };
  }

  /**
   * Called with the planned jobs before any is stored: a subclass may refuse the request (what it
   * would store) by throwing. Nothing to check here.
   */
  protected admit(
    _plans: readonly JobPlan[],
    _body: ReturnType<typeof parseFanOutBody>,
    _call: FanOutCall,
  ): void | Promise<void> {}

  /** Match nodes and plan a job for each; the rest are `unavailable`, with why. */
  #planAll(
    target: ExecTargetSelector,
    id: ReturnType<typeof parseActionId>,
    body: ReturnType<typeof parseFanOutBody>,
    principal?: Principal,
  ): { plans: JobPlan[]; unavailable: FanOutUnavailable[] } {
    const { registry, planner } = this.#o;
    const plans: JobPlan[] = [];
    const unavailable: FanOutUnavailable[] = [];
    const invalid: OpenClawError[] = [];
    // A node-scoped token only ever reaches its own nodes.
    const sessions = registry.list().filter((s) => matches(s, target) && canSeeNode(principal, s.nodeId));
    const offline = (target.nodes ?? []).filter((n) => !registry.get(n));
    if (sessions.length === 0 && offline.length === 0) {
      throw new OpenClawError('NODE_NOT_FOUND', `No connected node matches the target ${describe(target)}`, {
        details: { field: 'body.target', target },
      });
    }
    for (const session of sessions) {
      try {
        const plan = planner.plan(session.nodeId, id, body);
        const availability = registry.availability(session.nodeId, id.plugin, id.action);
        // Capability health (the app is missing, scripting is off): do not start what cannot work.
        if (!availability.available) {
          unavailable.push({
            node_id: session.nodeId,
            code: 'ACTION_UNAVAILABLE',
            reason: availability.reason ?? `${body.action} cannot run on ${session.nodeId} now`,
          });
          continue;
        }
        plans.push(plan);
      } catch (error) {
        if (!isOpenClawError(error)) throw error;
        if (error.code === 'INVALID_PARAMS') invalid.push(error);
        unavailable.push({ node_id: session.nodeId, code: error.code, reason: error.message });
      }
    }
    for (const nodeId of offline) {
      if (body.queue !== true || target.tags || target.platform || target.plugin) {
        unavailable.push({
          node_id: nodeId,
          code: 'NODE_NOT_FOUND',
          reason: `node ${nodeId} is not connected (send "queue": true to deliver when it connects)`,
        });
        continue;
      }
      try {
        plans.push(planner.planOffline(nodeId, id, body));
      } catch (error) {
        if (!isOpenClawError(error)) throw error;
        if (error.code === 'INVALID_PARAMS') invalid.push(error);
        unavailable.push({ node_id: nodeId, code: error.code, reason: error.message });
      }
    }
    if (plans.length === 0) {
      // The params are wrong everywhere: that is the caller's mistake, not the nodes'.
      if (invalid.length > 0 && invalid.length === unavailable.length) throw invalid[0]!;
      throw new OpenClawError(
        'NODE_NOT_FOUND',
        `No node that matches ${describe(target)} can run ${body.action}`,
        {
          details: { field: 'body.target', target, unavailable },
        },
      );
    }
    return { plans, unavailable };
  }

  async #replay(
    original: JobRecord,
    fingerprint: string,
    key: string,
    wait: boolean,
    signal: AbortSignal | undefined,
    orphans: JobRecord[] = [],
    principal?: Principal,
  ): Promise<FanOutAnswer> {
    assertSameRequest(original, fingerprint, key);
    // Jobs this request stored before it lost the race were never sent: end them.
    for (const orphan of orphans) {
      await this.#o.store
        .transition(orphan.command_id, orphan.state === 'queued' ? 'cancelled' : 'failed', {
          error: new OpenClawError('CANCELLED', 'A concurrent request with the same Idempotency-Key won'),
        })
        .catch(() => undefined);
    }
    const batchId = original.batch_id!;
    const records: JobRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.#o.store.list({ batch_id: batchId }, { cursor, limit: 500 });
      // The caller's scope today, not when the batch was made: nodes it may no longer see are left out.
      records.push(...page.jobs.filter((job) => canSeeNode(principal, job.node_id)));
      cursor = page.next_cursor;
    } while (cursor !== null);
    records.sort((a, b) => (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0));
    const response: FanOutResponse = {
      batch_id: batchId,
      action: original.action,
      jobs: records.map(toFanOutJob),
      unavailable: [],
    };
    if (wait) await this.#waitAll(response, signal, false);
    return { response, waited: wait, replay: true };
  }

  async #waitAll(
    response: FanOutResponse,
    signal: AbortSignal | undefined,
    cancelOnAbort: boolean,
  ): Promise<void> {
    const { dispatcher, registry } = this.#o;
    // A job queued for a node that is not connected may wait for its ttl: answer with it queued.
    const waitable = (job: FanOutJob): boolean =>
      job.state !== 'queued' || registry.get(job.node_id) !== undefined;
    const ended = new Set<string>();
    // The request's signal is watched once for the batch, not once per job: an AbortSignal's listeners
    // are a list that every add and remove walks, so 10,000 jobs each listening cost O(n²).
    const ends = await untilAborted(
      Promise.allSettled(
        response.jobs.map((job) =>
          waitable(job)
            ? dispatcher.waitFor(job.command_id, undefined, false).then((outcome) => {
                ended.add(job.command_id);
                return outcome;
              })
            : Promise.reject(new Error('not waited for')),
        ),
      ),
      signal,
    );
    if (ends === ABORTED) {
      // The caller is gone: what it waited for and what has not ended is cancelled (or only dropped).
      if (cancelOnAbort) {
        const left = response.jobs.filter((job) => waitable(job) && !ended.has(job.command_id));
        await Promise.all(left.map((job) => dispatcher.abandon(job.command_id)));
      }
      throw signal!.reason as Error;
    }
    ends.forEach((end, i) => {
      const job = response.jobs[i]!;
      if (end.status === 'rejected') return;
      const outcome = end.value;
      job.state = outcome.state;
      job.duration_ms = outcome.durationMs;
      if (outcome.state === 'succeeded') job.result = outcome.result ?? null;
      else if (outcome.error) job.error = toErrorPayload(outcome.error);
    });
  }
}

/** `run` over consecutive chunks of `items`, one chunk per turn of the event loop; the results in order. */
export async function inChunks<T, R>(
  items: readonly T[],
  run: (chunk: T[], offset: number) => R[] | Promise<R[]>,
): Promise<R[]> {
  const results: R[] = [];
  for (let offset = 0; offset < items.length; offset += CHUNK) {
    if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
    results.push(...(await run(items.slice(offset, offset + CHUNK), offset)));
  }
  return results;
}

const ABORTED: unique symbol = Symbol('aborted');

/** `work`, or ABORTED as soon as `signal` aborts (at once if it has). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function checkTarget(target: ExecTargetSelector): ExecTargetSelector {
  const { nodes, tags, platform, plugin, all } = target;
  if (!nodes && !tags && !platform && !plugin && all !== true) {
    throw new OpenClawError(
      'INVALID_BODY',
      'body.target must name nodes, tags, platform or plugin, or be {"all": true} for every connected node',
      { details: { field: 'body.target' } },
    );
  }
  if (nodes && nodes.length > MAX_BATCH) {
    throw new OpenClawError('INVALID_BODY', `body.target.nodes may name at most ${MAX_BATCH} nodes`, {
      details: { field: 'body.target.nodes' },
    });
  }
  return target;
}

/** nodes ∩ tags (every tag) ∩ platform ∩ has plugin; `all` alone matches every node. */
function matches(session: NodeSession, target: ExecTargetSelector): boolean {
  if (target.nodes && !target.nodes.includes(session.nodeId)) return false;
  if (target.tags && !target.tags.every((tag) => session.tags.includes(tag))) return false;
  if (target.platform && session.platform !== target.platform) return false;
  if (target.plugin && !session.plugins.has(target.plugin)) return false;
  return true;
}

function describe(target: ExecTargetSelector): string {
  const parts: string[] = [];
  if (target.nodes) parts.push(`nodes=${target.nodes.join(',')}`);
  if (target.tags) parts.push(`tags=${target.tags.join(',')}`);
  if (target.platform) parts.push(`platform=${target.platform}`);
  if (target.plugin) parts.push(`plugin=${target.plugin}`);
  return parts.length ? parts.join(' ') : 'all';
}

function toFanOutJob(record: JobRecord): FanOutJob {
  const job: FanOutJob = {
    node_id: record.node_id,
    command_id: record.command_id,
    state: record.state,
    links: jobLinks(record.command_id),
  };
  if (record.state === 'succeeded') job.result = record.result;
  else if (record.error) job.error = record.error;
  if (record.duration_ms !== null) job.duration_ms = record.duration_ms;
  return job;
}
