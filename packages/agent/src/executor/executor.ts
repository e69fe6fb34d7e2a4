import {
  assertValid,
  isOpenClawError,
  OpenClawError,
  toErrorPayload,
  type AgentLimits,
  type ErrorPayload,
  type ExecAck,
  type JobAcceptedEvent,
  type JobProgressEvent,
  type JobStartedEvent,
  type Platform,
} from '@openclaw-node/core';
import { createProcessRuntime, untilAborted } from '@openclaw-node/plugin-sdk/runtime';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/agent-config.js';
import type { LoadedAction, PluginCatalog } from '../plugins/plugin-catalog.js';
import { replacePathValue } from '../plugins/path-plan.js';
import { createActionContext, type RuntimeFactory } from './action-context.js';
import { parseExecRequest, peekJobId } from './exec-request.js';
import { createJobReporter } from './job-reporter.js';
import { DEFAULT_LIMITS, JobScheduler, type ScheduledJob } from './job-scheduler.js';
import type { PathGuard } from './path-guard.js';
import { toResult } from './result.js';

export interface ExecutorOptions {
  catalog: PluginCatalog;
  pathGuard: PathGuard;
  pluginConfig: AgentConfig['plugin_config'];
  platform: Platform;
  logger: Logger;
  emitProgress: (event: JobProgressEvent) => void;
  /** `job:accepted`: the job passed its checks and runs now or waits in the queue (fire-and-forget). */
  emitAccepted?: (event: JobAcceptedEvent) => void;
  /** `job:started`: the handler of a job starts. */
  emitStarted?: (event: JobStartedEvent) => void;
  /** Concurrency limit and queue bound; default 4 running, 32 waiting. */
  limits?: AgentLimits;
  /** Defaults to the SDK's createProcessRuntime. */
  createRuntime?: RuntimeFactory;
  /** How long an aborted handler that ignores its signal keeps an exclusive action locked. Default 5 s. */
  abortGraceMs?: number;
  /** Progress throttle and output batching interval. Default 100 ms. */
  reportIntervalMs?: number;
}

/** Runs `exec` requests: validation, path guard, queueing, deadline, cancellation, exactly one ack each. */
export interface Executor {
  /** Handle one inbound `exec`; never throws, calls `ack` exactly once (if it is a function). */
  handle(request: unknown, ack: unknown): void;
  /** Run one request to its ack payload; never rejects. */
  execute(request: unknown): Promise<ExecAck>;
  /** Abort a running job, or drop a queued one, with CANCELLED; false when no such job. */
  cancel(jobId: unknown, reason?: string): boolean;
  /** Cancel every job, running or queued, e.g. when the agent stops. */
  cancelAll(reason: string): void;
  /** Jobs whose handler runs (or is being checked) and not yet acked. */
  readonly running: number;
  /** Jobs waiting for a slot or for their exclusive action. */
  readonly queued: number;
  readonly limits: AgentLimits;
}

interface Job extends ScheduledJob {
  controller: AbortController;
  exclusiveKey: string | undefined;
}

const MAX_MESSAGE = 2000;

/** Create the executor for a loaded plugin catalog. */
export function createExecutor(options: ExecutorOptions): Executor {
  const { catalog, pathGuard, platform, logger } = options;
  const createRuntime = options.createRuntime ?? createProcessRuntime;
  const graceMs = options.abortGraceMs ?? 5000;
  const scheduler = new JobScheduler(options.limits ?? DEFAULT_LIMITS);
  const jobs = new Map<string, Job>();

  const execute = async (raw: unknown): Promise<ExecAck> => {
    let request;
    try {
      request = parseExecRequest(raw);
    } catch (error) {
      logger.warn(
        { jobId: peekJobId(raw), error: toErrorPayload(error) },
        'refused a malformed exec request',
      );
      return { ok: false, error: toErrorPayload(error) };
    }
    const { jobId, action: actionId, timeoutMs } = request;
    if (jobs.has(jobId)) {
      const error = new OpenClawError('INVALID_BODY', `exec jobId ${jobId} is already running`, {
        details: { field: 'jobId' },
      });
      return { ok: false, error: toErrorPayload(error) };
    }
    const controller = new AbortController();
    const log = logger.child({ jobId, action: actionId });
    const reporter = createJobReporter({
      jobId,
      emit: options.emitProgress,
      intervalMs: options.reportIntervalMs ?? 100,
    });
    let deadline: NodeJS.Timeout | undefined;
    const armDeadline = (): void => {
      clearTimeout(deadline);
      deadline = setTimeout(() => {
        controller.abort(
          new OpenClawError('TIMEOUT', `${actionId} did not finish within ${formatDuration(timeoutMs)}`, {
            details: { timeoutMs },
          }),
        );
      }, timeoutMs);
    };
    let startTurn!: () => void;
    const turn = new Promise<void>((resolve) => (startTurn = resolve));
    const job: Job = { controller, exclusiveKey: undefined, start: () => startTurn() };
    jobs.set(jobId, job);
    // A job cancelled while it waits must not wait on for a turn that never comes.
    controller.signal.addEventListener('abort', () => startTurn(), { once: true });
    // The checks get the deadline too (a path on a hung share); the run gets a fresh one.
    armDeadline();
    const started = performance.now();
    let handler: Promise<unknown> | undefined;
    let action: LoadedAction | undefined;

    const pipeline = async (): Promise<unknown> => {
      action = catalog.findAction(actionId);
      const params = structuredClone(request.params);
      assertValid(action.validateParams(params));
      // The handler gets the real path the guard approved, not the path as sent: a symlink in it that is
      // swapped between the check and the handler's use can then no longer lead outside allowed_paths.
      const paths = action.pathPlan.collect(params);
      const checkPaths = () => Promise.all(paths.map(({ field, value }) => pathGuard.check(value, field)));
      let resolved = await checkPaths();
      controller.signal.throwIfAborted();
      job.exclusiveKey = action.definition.exclusive === true ? action.id : undefined;
      const admission = scheduler.admit(job);
      if (admission === 'busy') throw busy(scheduler);
      // A job that runs at once says so in its one job:accepted (no job:started follows).
      const runsNow = admission === 'started';
      options.emitAccepted?.(runsNow ? { jobId, queued: false, started: true } : { jobId, queued: true });
      if (admission === 'queued') {
        // Waiting is not running: the deadline starts when the job does.
        clearTimeout(deadline);
        log.info({ queued: scheduler.queued, running: scheduler.running }, 'job queued');
      }
      await turn;
      controller.signal.throwIfAborted();
      armDeadline();
      if (admission === 'queued' && paths.length > 0) {
        // The folders may have changed while the job waited (a parent replaced by a symlink): check the
        // paths as sent again now, and hand the handler what they resolve to at its start.
        resolved = await checkPaths();
        controller.signal.throwIfAborted();
      }
      paths.forEach(({ location }, i) => replacePathValue(params, location, resolved[i]!));
      if (!runsNow) options.emitStarted?.({ jobId });
      const ctx = createActionContext({
        signal: controller.signal,
        platform,
        config: options.pluginConfig[action.plugin] ?? {},
        logger: log,
        reporter,
        createRuntime,
      });
      log.debug('handler started');
      const run = action.definition.run.bind(action.definition);
      handler = Promise.resolve().then((): unknown => run(params, ctx));
      return handler;
    };

    let response: ExecAck;
    try {
      const value = await untilAborted(controller.signal, pipeline());
      response = { ok: true, result: toResult(value, action!) };
    } catch (error) {
      response = { ok: false, error: toAckError(error) };
    } finally {
      clearTimeout(deadline);
      jobs.delete(jobId);
      reporter.close();
      scheduler.leave(job, released(handler, controller.signal, graceMs));
    }
    if (controller.signal.aborted && handler) {
      // The handler ignored its signal or is still cleaning up: it runs on detached, its outcome unused.
      handler.then(
        () => log.warn('handler finished after its job was over; its result was dropped'),
        () => log.debug('handler settled after its job was over'),
      );
    }
    const durationMs = Math.round(performance.now() - started);
    if (response.ok) log.info({ durationMs }, 'job succeeded');
    else log.info({ durationMs, code: response.error.code }, `job failed: ${response.error.message}`);
    return response;
  };

  const cancel = (jobId: unknown, reason = 'the job was cancelled'): boolean => {
    const job = typeof jobId === 'string' ? jobs.get(jobId) : undefined;
    if (!job || job.controller.signal.aborted) return false;
    job.controller.abort(new OpenClawError('CANCELLED', reason));
    return true;
  };

  return {
    execute,
    cancel,
    handle(request, ack) {
      if (typeof ack !== 'function') {
        logger.warn({ jobId: peekJobId(request) }, 'ignored an exec request without an ack callback');
        return;
      }
      let acked = false;
      execute(request)
        .then((response) => {
          if (acked) return;
          acked = true;
          (ack as (response: ExecAck) => void)(response);
        })
        .catch((error: unknown) => logger.error({ err: error }, 'could not ack an exec request'));
    },
    cancelAll(reason) {
      for (const jobId of [...jobs.keys()]) cancel(jobId, reason);
    },
    get running() {
      return jobs.size - scheduler.queued;
    },
    get queued() {
      return scheduler.queued;
    },
    limits: scheduler.limits,
  };
}

function busy(scheduler: JobScheduler): OpenClawError {
  const { maxConcurrentJobs, maxQueuedJobs } = scheduler.limits;
  return new OpenClawError(
    'NODE_BUSY',
    `The node runs ${scheduler.running} jobs (max_concurrent_jobs: ${maxConcurrentJobs}) and ${scheduler.queued} wait (max_queued_jobs: ${maxQueuedJobs}); try again later`,
    {
      details: {
        running: scheduler.running,
        queued: scheduler.queued,
        max_concurrent_jobs: maxConcurrentJobs,
        max_queued_jobs: maxQueuedJobs,
      },
    },
  );
}

/** Settles when an exclusive action may run again: its handler stopped, or (aborted) after the grace. */
function released(
  handler: Promise<unknown> | undefined,
  signal: AbortSignal,
  graceMs: number,
): Promise<unknown> {
  if (!handler) return Promise.resolve();
  const settled = handler.then(
    () => undefined,
    () => undefined,
  );
  if (!signal.aborted) return settled;
  // Never let a handler that ignores abort hold an exclusive action forever.
  return Promise.race([settled, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
}

/** OpenClawErrors pass through; anything else thrown by a handler is ACTION_FAILED with its message only. */
function toAckError(error: unknown): ErrorPayload {
  if (isOpenClawError(error)) return toErrorPayload(error);
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'the action failed';
  return { code: 'ACTION_FAILED', message: (message || 'the action failed').slice(0, MAX_MESSAGE) };
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
