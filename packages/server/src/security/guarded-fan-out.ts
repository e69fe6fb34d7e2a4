import { performance } from 'node:perf_hooks';
import { assertCanRunAction, assertCanSeeNode } from '../auth/permissions.js';
import { parseFanOutBody } from '../exec-body.js';
import { FanOut, type FanOutCall, type FanOutOptions } from '../fan-out.js';
import { auditRefusal, takeBudget, type ExecGuardOptions } from './guarded-dispatcher.js';
import { assertParamsDepth } from './params-limits.js';

type FanOutAnswer = Awaited<ReturnType<FanOut['exec']>>;

/**
 * `POST /api/exec` with the security checks in front: the operator role and the action inside the
 * caller's action globs (403), the exec rate (429, one unit per request), the params depth (400). The
 * fan-out itself only targets nodes inside the caller's node globs.
 */
export class GuardedFanOut extends FanOut {
  readonly #guard: ExecGuardOptions;
  readonly #registry: FanOutOptions['registry'];

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
      return await super.exec(call);
    } catch (error) {
      auditRefusal(this.#guard.audit, this.#registry, call, action, params, started, error);
      throw error;
    }
  }
}
