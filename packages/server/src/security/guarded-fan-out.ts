import { performance } from 'node:perf_hooks';
import { principalKey } from './auth/auth-provider.js';
import { assertCanRunAction, assertCanSeeNode } from './auth/permissions.js';
import { parseFanOutBody } from '../jobs/exec-body.js';
import { FanOut, type FanOutCall, type FanOutOptions } from '../jobs/fan-out.js';
import type { JobPlan } from '../jobs/job-planner.js';
import { auditRefusal, takeBudget, type ExecGuardOptions } from './guarded-dispatcher.js';
import { assertParamsDepth } from './params-limits.js';
import { paramsBytes, type QueueReservation } from './queue-guard.js';

type FanOutAnswer = Awaited<ReturnType<FanOut['exec']>>;

/**
 * `POST /api/exec` with the security checks in front: the operator role and the action inside the
 * caller's action globs (403), the exec rate (429, one unit per request before planning, then one
 * per further job stored), the params depth (400), queueing only for known nodes (403) and the caps
 * on what one request and one token may store (413, 429). The fan-out itself only targets nodes
 * inside the caller's node globs.
 */
export class GuardedFanOut extends FanOut {
  readonly #guard: ExecGuardOptions;
  readonly #registry: FanOutOptions['registry'];
  /** The reservation of the request being admitted, keyed by its call (admit runs inside exec). */
  readonly #reserved = new WeakMap<FanOutCall, QueueReservation>();

  constructor(options: FanOutOptions, guard: ExecGuardOptions) {
    super(options);
    this.#guard = guard;
    this.#registry = options.registry;
  }

  override async exec(call: FanOutCall & { address?: string }): Promise<FanOutAnswer> {
    const started = performance.now();
    let action: string | undefined;
    let params: unknown;
    try {
      const body = parseFanOutBody(call.body);
      action = body.action;
      params = body.params ?? {};
      assertCanRunAction(call.principal, body.action);
      // Nodes named explicitly must be the caller's; nodes matched by tags or platform are filtered.
      for (const nodeId of body.target.nodes ?? []) assertCanSeeNode(call.principal, nodeId);
      await takeBudget(this.#guard, call.principal);
      assertParamsDepth(params, this.#guard.maxParamsDepth);
      const { queue } = this.#guard;
      const { target } = body;
      if (
        queue &&
        body.queue === true &&
        target.nodes &&
        !target.tags &&
        !target.platform &&
        !target.plugin
      ) {
        queue.assertMayQueueFor(
          call.principal,
          target.nodes.filter((id) => !this.#registry.get(id)),
        );
      }
      const answer = await super.exec(call);
      const reservation = this.#reserved.get(call);
      if (reservation && !answer.replay) {
        const waiting = answer.response.jobs.filter(
          (job) => job.state === 'queued' && !this.#registry.get(job.node_id),
        );
        reservation.attach(waiting.map((job) => job.command_id));
      }
      return answer;
    } catch (error) {
      auditRefusal(this.#guard.audit, this.#registry, call, action, params, started, error);
      throw error;
    } finally {
      this.#reserved.get(call)?.release();
      this.#reserved.delete(call);
    }
  }

  /** Every stored job costs one exec unit (the first was taken before planning); caps on what is stored. */
  protected override async admit(
    plans: readonly JobPlan[],
    body: ReturnType<typeof parseFanOutBody>,
    call: FanOutCall,
  ): Promise<void> {
    const { queue } = this.#guard;
    if (queue) {
      const queued = body.queue === true ? plans.filter((plan) => plan.session === undefined).length : 0;
      this.#reserved.set(
        call,
        queue.admit(call.principal, { jobs: plans.length, queued, paramsBytes: paramsBytes(body.params) }),
      );
    }
    if (call.principal && plans.length > 1) {
      await this.#guard.execLimiter.charge(principalKey(call.principal), plans.length - 1);
    }
  }
}
