import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  OpenClawError,
  assertValid,
  parseActionId,
  type ExecRequest,
  type ExecSuccess,
} from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { Principal } from './auth/auth-provider.js';
import { readExecAck } from './exec-ack.js';
import { parseExecBody } from './exec-body.js';
import type { NodeRegistry } from './node-registry.js';
import type { Job, PendingJobs } from './pending-jobs.js';
import type { PluginCatalog } from './plugin-catalog.js';
import { resolveTarget } from './resolve-target.js';

export interface DispatcherOptions {
  registry: NodeRegistry;
  catalog: PluginCatalog;
  jobs: PendingJobs;
  logger: Logger;
  defaultTimeoutS: number;
  maxTimeoutS: number;
  /** Extra wait for the ack beyond the action's timeout, so the agent's own TIMEOUT arrives first. */
  ackGraceMs: number;
}

export interface ExecCall {
  nodeId: string;
  body: unknown;
  principal?: Principal;
  /** Aborted when the REST caller went away: the job is cancelled on the node. */
  signal?: AbortSignal;
}

/** A job that was sent: its success, or the error it ended with. */
export type ExecOutcome =
  { ok: true; response: ExecSuccess } | { ok: false; commandId: string; error: OpenClawError };

/** Runs one action on one node: validate on the server, send `exec`, wait for ack / timeout / disconnect. */
export class Dispatcher {
  readonly #o: DispatcherOptions;

  constructor(options: DispatcherOptions) {
    this.#o = options;
  }

  /**
   * Throws (nothing was sent) for a bad body, unknown node/plugin/action or params failing the schema;
   * otherwise resolves with the outcome of the job.
   */
  async exec(call: ExecCall): Promise<ExecOutcome> {
    const { registry, catalog, jobs, logger } = this.#o;
    const body = parseExecBody(call.body);
    const id = parseActionId(body.action, 'action');
    const target = resolveTarget(registry, catalog, call.nodeId, id);
    const params = body.params ?? {};
    assertValid(target.validate(params));
    const timeoutS = Math.min(
      body.timeout ?? target.action.timeout ?? this.#o.defaultTimeoutS,
      this.#o.maxTimeoutS,
    );
    const timeoutMs = Math.max(1, Math.round(timeoutS * 1000));
    const commandId = randomUUID();
    const { session } = target;
    const connection = session.connection;
    const log = logger.child({ command_id: commandId, node_id: session.nodeId, action: body.action });
    const started = performance.now();
    log.info({ caller: call.principal?.name, timeout_s: timeoutS }, 'exec sent');

    return new Promise<ExecOutcome>((resolve) => {
      let settled = false;
      let stopWaiting = (): void => {};
      const settle = (outcome: ExecOutcome): void => {
        if (settled) return;
        settled = true;
        stopWaiting();
        jobs.delete(commandId);
        call.signal?.removeEventListener('abort', onAbort);
        const duration_ms = Math.round(performance.now() - started);
        if (outcome.ok) log.info({ duration_ms }, 'exec succeeded');
        else log.info({ duration_ms, code: outcome.error.code }, 'exec failed');
        resolve(outcome);
      };
      const fail = (error: OpenClawError): void => settle({ ok: false, commandId, error });
      const onAbort = (): void => {
        if (settled) return;
        connection.sendCancel(commandId);
        fail(
          new OpenClawError('CANCELLED', 'The caller went away before the job finished; it was cancelled'),
        );
      };
      const job: Job = {
        commandId,
        nodeId: session.nodeId,
        connectionId: connection.id,
        action: body.action,
        startedAt: new Date(),
        events: [],
        fail,
      };
      jobs.add(job);
      call.signal?.addEventListener('abort', onAbort, { once: true });
      const request: ExecRequest = { jobId: commandId, action: body.action, params, timeoutMs };
      stopWaiting = connection.sendExec(request, timeoutMs + this.#o.ackGraceMs, (error, ack) => {
        if (error) {
          connection.sendCancel(commandId);
          fail(
            new OpenClawError(
              'NODE_TIMEOUT',
              `Node "${session.nodeId}" did not answer ${body.action} within ${timeoutS}s`,
              {
                details: { timeout_s: timeoutS },
              },
            ),
          );
          return;
        }
        const outcome = readExecAck(ack, session.nodeId);
        if (!outcome.ok) return fail(outcome.error);
        settle({
          ok: true,
          response: {
            status: 'success',
            command_id: commandId,
            node_id: session.nodeId,
            action: body.action,
            result: outcome.result,
            duration_ms: Math.round(performance.now() - started),
          },
        });
      });
      if (call.signal?.aborted) onAbort();
    });
  }
}
