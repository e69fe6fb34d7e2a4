import { performance } from 'node:perf_hooks';
import {
  OpenClawError,
  type ExecRequest,
  type JobAcceptedEvent,
  type JobProgressEvent,
  type JobStartedEvent,
} from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { CallerSignal } from './caller-signal.js';
import { readExecAck } from './exec-ack.js';
import { outcomeOfRecord, stateForError, type JobOutcome } from './job-outcome.js';
import type { JobRecord, JobStore, TerminalJobState, TransitionPatch } from './index.js';
import type { AgentConnection } from '../nodes/node-registry.js';
import type { PendingJobs } from './pending-jobs.js';
import { ChurnMap } from '../memory/churn-map.js';

export interface JobRunnerOptions {
  store: JobStore;
  pending: PendingJobs;
  logger: Logger;
  /** Extra wait for the ack beyond the action's timeout, so the agent's own TIMEOUT arrives first. */
  ackGraceMs: number;
  /** A cancelled job whose node never answers ends cancelled after this. */
  cancelGraceMs: number;
  /**
   * Scale-out mode: told which jobs this process runs, so a dead process's jobs can end `lost`; and
   * knows which jobs this process handed to another one that have not ended yet (their end comes
   * through ended(), so waitForEnd need not read the store).
   */
  tracker?: {
    /** `recorded`: the store's create already named this process as the runner (Delivery.runnerRecorded). */
    sent(commandId: string, recorded: boolean): void;
    /** `ending`: the runner is about to record the job's end (a store write follows). */
    released(commandId: string, ending: boolean): void;
    runsElsewhere?(commandId: string): boolean;
  };
}

/** What to send: a job already in the store, to one connection. */
export interface Delivery {
  record: JobRecord;
  nodeId: string;
  connection: AgentConnection;
  /** The real params (the record holds them redacted). */
  params: Record<string, unknown>;
  timeoutMs: number;
  /** An offline-queued job: stays `queued` until the agent sends `job:accepted`. */
  offline: boolean;
  /** The agent sends `job:accepted`/`job:started` (it reported its limits at hello). */
  acceptsJobs: boolean;
  /** Scale-out: the store's create recorded this process as the job's runner (NewJob.runner). */
  runnerRecorded?: boolean;
}

interface InFlight {
  d: Delivery;
  commandId: string;
  stored: 'queued' | 'running';
  accepted: boolean;
  cancelRequested: boolean;
  cancelReason?: OpenClawError;
  sentAt: number;
  timer: NodeJS.Timeout | undefined;
  stopAck: () => void;
  settled: boolean;
}

type Waiter = (outcome: JobOutcome) => void;

/** Call `write` now; a synchronous throw becomes a rejection, as inside `then`. */
function startWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return write();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Runs jobs on nodes: sends `exec`, follows `job:accepted` / `job:started` / `job:progress`, applies
 * the ack deadline, cancels, and writes every change to the job store in order, per job.
 */
export class JobRunner {
  readonly #o: JobRunnerOptions;
  // A job passes through each of these: ChurnMap keeps the jobs that left them from being promoted.
  readonly #inFlight = new ChurnMap<string, InFlight>();
  readonly #waiters = new ChurnMap<string, Set<Waiter>>();
  readonly #writes = new ChurnMap<string, Promise<unknown>>();
  readonly #settledListeners = new Set<(nodeId: string, busy: boolean) => void>();
  /** Jobs settled in this turn, told to the listeners in the next (see #release). */
  #settled: { nodeId: string; busy: boolean }[] = [];

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** True while the job was sent by this server and has not ended. */
  has(commandId: string): boolean {
    return this.#inFlight.has(commandId);
  }

  /** True while someone here waits for the job's end (waitForEnd). */
  isAwaited(commandId: string): boolean {
    return this.#waiters.has(commandId);
  }

  /** Jobs in flight to one node. */
  countForNode(nodeId: string): number {
    let n = 0;
    for (const f of this.#inFlight.values()) if (f.d.nodeId === nodeId) n++;
    return n;
  }

  /** Called after a job of a node ended or went back to the queue; `busy` when the node said NODE_BUSY. */
  onSettled(listener: (nodeId: string, busy: boolean) => void): () => void {
    this.#settledListeners.add(listener);
    return () => this.#settledListeners.delete(listener);
  }

  /** Send one job; its end reaches waitForEnd(). */
  send(d: Delivery): void {
    const { record, connection } = d;
    const commandId = record.command_id;
    const f: InFlight = {
      d,
      commandId,
      stored: d.offline ? 'queued' : 'running',
      accepted: false,
      cancelRequested: false,
      sentAt: performance.now(),
      timer: undefined,
      stopAck: () => {},
      settled: false,
    };
    this.#inFlight.set(commandId, f);
    this.#o.tracker?.sent(commandId, d.runnerRecorded === true);
    this.#o.pending.add({
      commandId,
      nodeId: d.nodeId,
      connectionId: connection.id,
      action: record.action,
      startedAt: new Date(),
      events: [],
      fail: (error) => this.#fail(f, error),
    });
    // An agent without job:accepted acknowledges nothing but the end: the send is the delivery.
    if (d.offline && !d.acceptsJobs) this.#markRunning(f);
    this.#arm(f, d.timeoutMs + this.#o.ackGraceMs);
    const request: ExecRequest = {
      jobId: commandId,
      action: record.action,
      params: d.params,
      timeoutMs: d.timeoutMs,
    };
    if (this.#verbose()) this.#log(f).info({ timeout_ms: d.timeoutMs, offline: d.offline }, 'exec sent');
    f.stopAck = connection.sendExec(request, (ack) => this.#onAck(f, ack));
  }

  /**
   * `job:accepted` from the agent: the job is delivered (and maybe waits in the node's queue). With
   * `started` (protocol 1 agents since 0.2) it also runs now: what `job:started` would have said.
   */
  accepted(connectionId: string, event: JobAcceptedEvent): void {
    const f = this.#own(connectionId, event.jobId);
    if (!f || f.accepted) return;
    f.accepted = true;
    this.#markRunning(f);
    if (event.started === true) return this.#onStarted(f);
    if (event.queued) {
      // The deadline is for running, not for waiting behind other jobs: it restarts at job:started.
      this.#disarm(f);
      void this.#chain(f.commandId, () =>
        this.#o.store.updateProgress(f.commandId, { message: "waiting in the node's queue" }),
      );
    }
  }

  /** `job:started` from the agent: the handler runs now. */
  started(connectionId: string, event: JobStartedEvent): void {
    const f = this.#own(connectionId, event.jobId);
    if (!f) return;
    if (!f.accepted) {
      f.accepted = true;
      this.#markRunning(f);
    }
    this.#onStarted(f);
  }

  #onStarted(f: InFlight): void {
    if (f.timer === undefined && !f.cancelRequested) this.#arm(f, f.d.timeoutMs + this.#o.ackGraceMs);
  }

  /** `job:progress` from the agent: progress and message update the job, output goes to its log. */
  progress(connectionId: string, event: JobProgressEvent): void {
    if (!this.#o.pending.recordProgress(connectionId, event)) return;
    const { jobId } = event;
    if (event.progress !== undefined || event.message !== undefined) {
      const update = {
        ...(event.progress === undefined ? {} : { progress: event.progress }),
        ...(event.message === undefined ? {} : { message: event.message }),
      };
      void this.#chain(jobId, () => this.#o.store.updateProgress(jobId, update));
    }
    if (event.chunk !== undefined) {
      const chunk = event.chunk;
      void this.#chain(jobId, () => this.#o.store.appendLog(jobId, [chunk]));
    }
  }

  /**
   * Cancel a job this server sent. `immediate` ends it now (the caller went away, the node is gone);
   * otherwise the agent is asked and the job ends when it acks CANCELLED, or after cancelGraceMs.
   * False when the job is not in flight here.
   */
  cancel(commandId: string, reason: string, immediate = false): boolean {
    const f = this.#inFlight.get(commandId);
    if (!f || f.settled) return false;
    f.d.connection.sendCancel(commandId);
    const error = new OpenClawError('CANCELLED', reason);
    if (immediate) {
      this.#fail(f, error);
      return true;
    }
    if (!f.cancelRequested) {
      f.cancelRequested = true;
      f.cancelReason = error;
      this.#disarm(f);
      f.timer = setTimeout(() => this.#fail(f, error), this.#o.cancelGraceMs);
      this.#log(f).info({ reason }, 'cancel sent to the node');
    }
    return true;
  }

  /** Stop following a job without a store write (it ended another way, e.g. expired). */
  drop(commandId: string, outcome: JobOutcome): void {
    const f = this.#inFlight.get(commandId);
    if (f && !f.settled) {
      f.d.connection.sendCancel(commandId);
      this.#release(f);
    }
    this.#notify(outcome);
  }

  /** End a job that is not in flight (cancel of a queued job); resolves with its outcome. */
  async end(commandId: string, state: TerminalJobState, patch: TransitionPatch = {}): Promise<JobOutcome> {
    const record = await this.#chain(commandId, () => this.#o.store.transition(commandId, state, patch));
    const outcome = outcomeOfRecord(record)!;
    this.#notify(outcome);
    return outcome;
  }

  /** Tell waiters about jobs that ended in the store without this runner (expiry). */
  ended(records: readonly JobRecord[]): void {
    for (const record of records) {
      const outcome = outcomeOfRecord(record);
      if (!outcome) continue;
      if (this.#inFlight.has(record.command_id)) this.drop(record.command_id, outcome);
      else this.#notify(outcome);
    }
  }

  /**
   * Resolves when the job ends in this process (or at once if the store says it has ended). Rejects
   * with the signal's reason when it aborts.
   */
  async waitForEnd(commandId: string, signal?: CallerSignal): Promise<JobOutcome> {
    return new Promise<JobOutcome>((resolve, reject) => {
      const waiters = this.#waiters.get(commandId) ?? new Set<Waiter>();
      this.#waiters.set(commandId, waiters);
      const cleanup = (): void => {
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(commandId) === waiters) this.#waiters.delete(commandId);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = (outcome) => {
        cleanup();
        resolve(outcome);
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal!.reason ?? new Error('aborted'));
      };
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      // It may have ended before we started listening: the store knows.
      if (!this.#inFlight.has(commandId) && this.#o.tracker?.runsElsewhere?.(commandId) !== true) {
        this.#o.store.get(commandId).then(
          (record) => {
            const outcome = record && outcomeOfRecord(record);
            if (outcome && waiters.has(waiter)) waiter(outcome);
          },
          () => undefined,
        );
      }
    });
  }

  /** Fail every job in flight (shutdown) and wait for the store writes to finish. */
  async shutdown(error: () => OpenClawError): Promise<void> {
    for (const f of [...this.#inFlight.values()]) this.#fail(f, error());
    await this.flush();
  }

  /** Wait for every pending store write. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes.values()]);
  }

  #own(connectionId: string, jobId: unknown): InFlight | undefined {
    const f = typeof jobId === 'string' ? this.#inFlight.get(jobId) : undefined;
    return f && !f.settled && f.d.connection.id === connectionId ? f : undefined;
  }

  #markRunning(f: InFlight): void {
    if (f.stored !== 'queued') return;
    f.stored = 'running';
    void this.#chain(f.commandId, async () => {
      try {
        await this.#o.store.transition(f.commandId, 'running');
      } catch (error) {
        // Cancelled or expired meanwhile: the node must not go on with it.
        this.#log(f).warn({ err: error }, 'a delivered job could not become running; cancelling it');
        if (!f.settled) {
          f.d.connection.sendCancel(f.commandId);
          this.#release(f);
        }
      }
    });
  }

  #onAck(f: InFlight, ack: unknown): void {
    if (f.settled) return;
    const outcome = readExecAck(ack, f.d.nodeId);
    if (outcome.ok) return this.#finish(f, 'succeeded', { result: outcome.result });
    const { error } = outcome;
    if (error.code === 'NODE_BUSY' && f.d.offline && !f.accepted) {
      // The agent ran nothing: an offline job waits on for a free slot instead of failing.
      this.#log(f).info('the node is busy; the job stays queued');
      this.#release(f, true);
      return;
    }
    this.#fail(f, error);
  }

  #fail(f: InFlight, error: OpenClawError): void {
    if (f.settled) return;
    if (f.cancelRequested && (error.code === 'NODE_DISCONNECTED' || error.code === 'NODE_TIMEOUT')) {
      // The node was told to stop and then went quiet: the job ends as the caller asked.
      return this.#finish(f, 'cancelled', { error: f.cancelReason ?? new OpenClawError('CANCELLED') });
    }
    if (
      error.code === 'NODE_DISCONNECTED' &&
      f.d.offline &&
      !f.accepted &&
      f.stored === 'queued' &&
      !f.cancelRequested
    ) {
      // Never reached the node: it waits for the next connection (until its ttl).
      this.#release(f);
      return;
    }
    this.#finish(f, stateForError(error), { error });
  }

  #finish(f: InFlight, state: TerminalJobState, patch: { result?: unknown; error?: OpenClawError }): void {
    if (f.settled) return;
    const durationMs = Math.round(performance.now() - f.sentAt);
    const { commandId } = f;
    if (f.stored === 'queued') {
      // Never accepted: it did not run (a timeout is a failed delivery); a success means an agent
      // that sends no job:accepted ran it.
      if (state === 'timed_out') state = 'failed';
      if (state === 'succeeded') this.#markRunning(f);
    }
    this.#release(f, false, true);
    if (this.#verbose()) {
      const log = this.#log(f);
      if (state === 'succeeded') log.info({ duration_ms: durationMs }, 'exec succeeded');
      else log.info({ duration_ms: durationMs, code: patch.error?.code, state }, 'exec failed');
    }
    const outcome: JobOutcome = {
      commandId,
      nodeId: f.d.nodeId,
      action: f.d.record.action,
      state,
      durationMs,
      ...patch,
    };
    const storePatch: TransitionPatch =
      state === 'succeeded' ? { result: patch.result } : patch.error ? { error: patch.error } : {};
    void this.#chain(commandId, async () => {
      try {
        outcome.record = await this.#o.store.transition(commandId, state, storePatch);
      } catch (error) {
        this.#log(f).warn({ err: error, state }, 'the end of the job could not be recorded');
      }
      this.#notify(outcome);
    });
  }

  /** Forget an in-flight job (no store write; `ending`: #finish writes its end) and tell the queue a slot is free. */
  #release(f: InFlight, busy = false, ending = false): void {
    if (f.settled) return;
    f.settled = true;
    this.#disarm(f);
    f.stopAck();
    this.#inFlight.delete(f.commandId);
    this.#o.pending.delete(f.commandId);
    this.#o.tracker?.released(f.commandId, ending);
    // After this turn, so a listener that sends again does not run inside an ack handler; one
    // setImmediate for all the jobs settled in the turn.
    if (this.#settled.length === 0) setImmediate(this.#tellSettled);
    this.#settled.push({ nodeId: f.d.nodeId, busy });
  }

  readonly #tellSettled = (): void => {
    const settled = this.#settled;
    this.#settled = [];
    for (const { nodeId, busy } of settled) {
      for (const listener of this.#settledListeners) listener(nodeId, busy);
    }
  };

  #arm(f: InFlight, ms: number): void {
    this.#disarm(f);
    f.timer = setTimeout(() => {
      f.timer = undefined;
      f.d.connection.sendCancel(f.commandId);
      const seconds = f.d.timeoutMs / 1000;
      this.#fail(
        f,
        new OpenClawError(
          'NODE_TIMEOUT',
          `Node "${f.d.nodeId}" did not answer ${f.d.record.action} within ${seconds}s`,
          { details: { timeout_s: seconds } },
        ),
      );
    }, ms);
  }

  #disarm(f: InFlight): void {
    clearTimeout(f.timer);
    f.timer = undefined;
  }

  #notify(outcome: JobOutcome): void {
    for (const waiter of [...(this.#waiters.get(outcome.commandId) ?? [])]) waiter(outcome);
  }

  /** Run store writes of one job one after the other, in the order the events came. */
  #chain<T>(commandId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.#writes.get(commandId);
    // Nothing pending for the job (the usual case): the write starts now, without a turn of waiting.
    const next = previous ? previous.then(write, write) : startWrite(write);
    const forget = (): void => {
      if (this.#writes.get(commandId) === tracked) this.#writes.delete(commandId);
    };
    const tracked: Promise<void> = next.then(forget, (error: unknown) => {
      this.#o.logger.warn({ err: error, command_id: commandId }, 'job store write failed');
      forget();
    });
    this.#writes.set(commandId, tracked);
    return next;
  }

  /** Whether info lines are written: a child logger per job costs more than the rest of its bookkeeping. */
  #verbose(): boolean {
    return this.#o.logger.isLevelEnabled('info');
  }

  #log(f: InFlight): Logger {
    return this.#o.logger.child({ command_id: f.commandId, node_id: f.d.nodeId, action: f.d.record.action });
  }
}
