import { performance } from 'node:perf_hooks';
import { isOpenClawError, toErrorPayload, type JsonSchema } from '@openclaw-node/core';
import type { AuditLog, AuditRecord } from './audit/audit-log.js';
import { paramsDigest } from './audit/params-digest.js';
import { principalKey, type Principal } from './auth/auth-provider.js';
import { assertCanExec } from './auth/permissions.js';
import { Dispatcher, type DispatcherOptions, type ExecCall } from '../jobs/dispatcher.js';
import { parseExecBody } from '../jobs/exec-body.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { rateLimited } from './auth-guard.js';
import { assertParamsDepth, isDeeperThan } from './params-limits.js';
import { paramsBytes, type QueueGuard, type QueueReservation } from './queue-guard.js';
import type { RateDecision, RateLimiter } from './rate-limit.js';
import { isThenable } from './thenable.js';

/** What the exec checks need. */
export interface ExecGuardOptions {
  audit: AuditLog;
  /** Per-principal exec budget. */
  execLimiter: RateLimiter;
  maxParamsDepth: number;
  /** Queueing for unknown nodes and the per-request / per-token caps on what is stored. */
  queue?: QueueGuard;
}

type ExecAnswer = Awaited<ReturnType<Dispatcher['exec']>>;

/** Codes that mean "this caller may not", audited as `exec.denied` rather than `exec`. */
const DENIED = new Set(['FORBIDDEN', 'RATE_LIMITED', 'NODE_UNKNOWN', 'QUEUE_LIMIT', 'BATCH_TOO_LARGE']);
/** Deeper params are not digested in the audit log (redaction and stable JSON recurse). */
const DIGEST_DEPTH = 256;

/**
 * Run the exec checks that need the body: the action must be inside the caller's node and action
 * globs (403), within its exec rate (429), its params no deeper than the limit (400). Throws the
 * error after writing an `exec.denied` (or, for a bad request, `exec`) audit record. Synchronous
 * unless the exec budget is kept elsewhere (Redis): the returned promise then settles once it was taken.
 */
export function guardExec(
  guard: ExecGuardOptions,
  registry: NodeRegistry | undefined,
  call: { nodeId: string; body: unknown; principal?: Principal; address?: string },
): void | Promise<void> {
  const started = performance.now();
  let action: string | undefined;
  let params: unknown;
  const refuse = (error: unknown): never => {
    auditRefusal(guard.audit, registry, call, action, params, started, error);
    throw error;
  };
  try {
    const body = parseExecBody(call.body);
    action = body.action;
    params = body.params ?? {};
    assertCanExec(call.principal, call.nodeId, body.action);
    const budget = takeBudget(guard, call.principal);
    if (budget) return budget.then(() => assertParamsDepth(params, guard.maxParamsDepth)).catch(refuse);
    assertParamsDepth(params, guard.maxParamsDepth);
  } catch (error) {
    refuse(error);
  }
}

/** Spend one exec of the principal's budget; RATE_LIMITED when it is spent. Synchronous in process. */
export function takeBudget(guard: ExecGuardOptions, principal: Principal | undefined): void | Promise<void> {
  if (!principal) return;
  const decision = guard.execLimiter.take(principalKey(principal));
  return isThenable(decision)
    ? Promise.resolve(decision).then((d) => assertBudget(d, principal))
    : assertBudget(decision, principal);
}

function assertBudget(decision: RateDecision, principal: Principal): void {
  if (decision.limited) {
    throw rateLimited(
      `The token "${principal.name}" sent more execs than its rate limit allows; try again in ${decision.retryAfterS} s`,
      decision.retryAfterS,
      { token: principal.name },
    );
  }
}

function schemaOf(
  registry: NodeRegistry | undefined,
  nodeId: string | undefined,
  action: string | undefined,
): JsonSchema | undefined {
  const [plugin, name] = action?.split('.') ?? [];
  if (!plugin || !name || nodeId === undefined) return undefined;
  const manifest = registry?.get(nodeId)?.plugins.get(plugin)?.manifest;
  return manifest && Object.hasOwn(manifest.actions, name) ? manifest.actions[name]!.params : undefined;
}

/** Audit an exec that never became a job: refused by a check, or a bad request. */
export function auditRefusal(
  audit: AuditLog,
  registry: NodeRegistry | undefined,
  call: { nodeId?: string; body?: unknown; principal?: Principal; address?: string },
  action: string | undefined,
  params: unknown,
  started: number,
  error: unknown,
): void {
  if (!audit.enabled) return;
  const payload = toErrorPayload(error);
  const record: AuditRecord = {
    event: DENIED.has(payload.code) ? 'exec.denied' : 'exec',
    outcome: payload.code,
    status: isOpenClawError(error) ? error.status : 500,
    ...(call.nodeId === undefined ? {} : { node_id: call.nodeId }),
    duration_ms: Math.round(performance.now() - started),
    reason: payload.message,
  };
  const { principal } = call;
  if (principal)
    Object.assign(record, { principal: principal.name, roles: principal.roles, via: principal.via });
  if (call.address !== undefined) record.address = call.address;
  if (action !== undefined) {
    record.action = action;
    // Params too deep to digest safely (the refusal itself may be that) are named, not walked.
    if (isDeeperThan(params, DIGEST_DEPTH))
      record.params_digest = `unavailable: nested deeper than ${DIGEST_DEPTH} levels`;
    else record.params_digest = paramsDigest(params, schemaOf(registry, call.nodeId, action));
  }
  audit.record(record);
}

/**
 * The Dispatcher with the security checks in front: guardExec before the job is made, and an audit
 * record for a request refused before it became a job (a job that was made is audited when it ends).
 */
export class GuardedDispatcher extends Dispatcher {
  readonly #guard: ExecGuardOptions;
  readonly #registry: NodeRegistry;

  constructor(options: DispatcherOptions, guard: ExecGuardOptions) {
    super(options);
    this.#guard = guard;
    this.#registry = options.registry;
  }

  override async exec(call: ExecCall): Promise<ExecAnswer> {
    const gate = guardExec(this.#guard, this.#registry, call);
    if (gate) await gate;
    const started = performance.now();
    let reservation: QueueReservation | undefined;
    try {
      reservation = this.#reserveQueued(call);
      const answer = await super.exec(call);
      if (reservation && answer.kind === 'accepted' && !answer.replay && answer.record.state === 'queued') {
        reservation.attach([answer.record.command_id]);
      }
      return answer;
    } catch (error) {
      const body = call.body as { action?: unknown; params?: unknown } | null;
      const action = typeof body?.action === 'string' ? body.action : undefined;
      auditRefusal(this.#guard.audit, this.#registry, call, action, body?.params ?? {}, started, error);
      throw error;
    } finally {
      reservation?.release();
    }
  }

  /** A job queued for a node that is not connected: the node must be known, and the caller have room. */
  #reserveQueued(call: ExecCall): QueueReservation | undefined {
    const queue = this.#guard.queue;
    const body = call.body as { queue?: unknown; params?: unknown };
    if (!queue || body.queue !== true || this.#registry.get(call.nodeId)) return undefined;
    queue.assertMayQueueFor(call.principal, [call.nodeId]);
    return queue.admit(call.principal, { jobs: 1, queued: 1, paramsBytes: paramsBytes(body.params) });
  }
}
