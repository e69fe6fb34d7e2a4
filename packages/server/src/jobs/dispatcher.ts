import { OpenClawError, parseActionId } from '@openclaw-node/core';
import type { Principal } from '../security/auth/auth-provider.js';
import type { CallerSignal } from './caller-signal.js';
import type { ClusterRouting } from './cluster-routing.js';
import { parseExecBody } from './exec-body.js';
import { assertSameRequest, keyReused, requestFingerprint } from './idempotency.js';
import type { JobOutcome } from './job-outcome.js';
import type { JobPlanner } from './job-planner.js';
import type { JobRunner } from './job-runner.js';
import { isTerminal, type JobRecord, type JobStore } from './index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';

export interface DispatcherOptions {
  registry: NodeRegistry;
  store: JobStore;
  runner: JobRunner;
  planner: JobPlanner;
  /** A repeated Idempotency-Key within this window returns the original job. */
  idempotencyWindowMs: number;
  /** `POST /api/jobs/:id/cancel` waits this long for the node's answer. */
  cancelWaitMs: number;
  /** Scale-out mode: jobs run by another process are cancelled there. */
  cluster?: ClusterRouting;
}

export interface ExecCall {
  nodeId: string;
  body: unknown;
  principal?: Principal;
  /** The caller's address, for the audit log. */
  address?: string;
  /** Aborted when the REST caller went away: a job it waits for is cancelled on the node. */
  signal?: CallerSignal;
  /** The request's Idempotency-Key, already checked. */
  idempotencyKey?: string;
}

/** How to answer an exec: the job ended (the synchronous form), or it was accepted (202). */
export type ExecAnswer =
  | { kind: 'ended'; outcome: JobOutcome; replay: boolean }
  | { kind: 'accepted'; record: JobRecord; replay: boolean };

const CALLER_GONE = 'The caller went away before the job finished; it was cancelled';

/** Every exec is a job: validate, store, send (or queue), and wait for the end when asked to. */
export class Dispatcher {
  readonly #o: DispatcherOptions;

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /**
   * Throws (nothing stored or sent) for a bad body, unknown node/plugin/action or params failing the
   * schema; otherwise answers with the job's end, or with the accepted job.
   */
  async exec(call: ExecCall): Promise<ExecAnswer> {
    const { planner, registry } = this.#o;
    const body = parseExecBody(call.body);
    const wait = body.wait ?? true;
    const queue = body.queue === true;
    planner.ttlOf(body);
    const key = call.idempotencyKey;
    const requester = call.principal?.name ?? null;
    const fingerprint =
      key === undefined
        ? null
        : requestFingerprint({
            kind: 'node',
            node_id: call.nodeId,
            action: body.action,
            params: body.params ?? {},
            timeout: body.timeout ?? null,
            queue,
            ttl: body.ttl ?? null,
          });
    if (key !== undefined) {
      const original = await this.#o.store.findByIdempotencyKey(
        requester,
        key,
        Date.now() - this.#o.idempotencyWindowMs,
      );
      if (original) return this.#replay(original, fingerprint!, key, wait, call.signal);
    }
    const id = parseActionId(body.action, 'action');
    const connected = registry.get(call.nodeId) !== undefined;
    const plan =
      connected || !queue ? planner.plan(call.nodeId, id, body) : planner.planOffline(call.nodeId, id, body);
    const { job, created } = await planner.create(plan, body, {
      requestedBy: requester,
      idempotencyKey: key,
      fingerprint,
      caller: { address: call.address, principal: call.principal },
      awaitsEnd: wait && connected,
      startsAtOnce: true,
    });
    // Another request with the same key got there first.
    if (!created) return this.#replay(job, fingerprint!, key!, wait, call.signal);
    planner.start(job, plan);
    if (!wait || !connected) return { kind: 'accepted', record: job, replay: false };
    return { kind: 'ended', outcome: await this.waitFor(job.command_id, call.signal, true), replay: false };
  }

  /**
   * Wait for a job to end. When `signal` aborts, rejects; with `cancelOnAbort` the job is then
   * cancelled at once (its caller is gone).
   */
  async waitFor(
    commandId: string,
    signal: CallerSignal | undefined,
    cancelOnAbort: boolean,
  ): Promise<JobOutcome> {
    try {
      return await this.#o.runner.waitForEnd(commandId, signal);
    } catch (error) {
      if (cancelOnAbort && signal?.aborted) await this.abandon(commandId);
      throw error;
    }
  }

  /**
   * Cancel a job: a queued one (or one whose node is gone) ends cancelled at once; a running one is
   * cancelled on its node and `ended` says whether the node answered within cancelWaitMs.
   */
  async cancel(commandId: string, by: string | undefined): Promise<{ record: JobRecord; ended: boolean }> {
    const { store, runner } = this.#o;
    const record = await store.get(commandId);
    if (!record) {
      throw new OpenClawError('JOB_NOT_FOUND', `No job has command_id ${commandId}`, {
        details: { command_id: commandId },
      });
    }
    if (isTerminal(record.state)) {
      throw new OpenClawError(
        'JOB_STATE_CONFLICT',
        `Job ${commandId} already ended as ${record.state}; only a queued or running job can be cancelled`,
        { details: { field: 'state', command_id: commandId, state: record.state } },
      );
    }
    const reason = `The job was cancelled${by ? ` by ${by}` : ''}`;
    if (runner.has(commandId)) {
      const ended = runner.waitForEnd(commandId);
      runner.cancel(commandId, reason);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        ended,
        new Promise<undefined>(
          (resolve) => (timer = setTimeout(() => resolve(undefined), this.#o.cancelWaitMs)),
        ),
      ]);
      clearTimeout(timer);
      const latest = outcome?.record ?? (await store.get(commandId)) ?? record;
      return { record: latest, ended: outcome !== undefined };
    }
    const owner = record.state === 'running' ? await this.#o.cluster?.runnerOf(commandId) : undefined;
    if (owner !== undefined) return this.#o.cluster!.cancelOn(owner, commandId, by);
    const outcome = await runner.end(commandId, 'cancelled', {
      error: new OpenClawError('CANCELLED', reason),
    });
    return { record: outcome.record!, ended: true };
  }

  async #replay(
    original: JobRecord,
    fingerprint: string,
    key: string,
    wait: boolean,
    signal: CallerSignal | undefined,
  ): Promise<ExecAnswer> {
    assertSameRequest(original, fingerprint, key);
    if (original.batch_id !== null) throw keyReused(key);
    // In scale-out mode a running job is followed by some process (or ends lost when that one dies);
    // alone, one that is not in this runner was left by a previous process and would never end.
    const running =
      original.state === 'running' &&
      (this.#o.runner.has(original.command_id) || this.#o.cluster !== undefined);
    if (wait && (isTerminal(original.state) || running)) {
      // The replaying caller going away does not cancel a job it did not start.
      const outcome = await this.waitFor(original.command_id, signal, false);
      return { kind: 'ended', outcome, replay: true };
    }
    const latest = (await this.#o.store.get(original.command_id)) ?? original;
    return { kind: 'accepted', record: latest, replay: true };
  }

  /** The caller waiting for a job is gone: cancel the job wherever it runs (fan-out calls it per job). */
  async abandon(commandId: string): Promise<void> {
    const { runner, store } = this.#o;
    if (runner.cancel(commandId, CALLER_GONE, true)) return;
    const owner = await this.#o.cluster?.runnerOf(commandId).catch(() => undefined);
    if (owner !== undefined) {
      await this.#o.cluster!.abandonOn(owner, commandId, CALLER_GONE).catch(() => undefined);
      return;
    }
    const record = await store.get(commandId).catch(() => undefined);
    if (record && !isTerminal(record.state)) {
      await runner
        .end(commandId, 'cancelled', { error: new OpenClawError('CANCELLED', CALLER_GONE) })
        .catch(() => undefined);
    }
  }
}
