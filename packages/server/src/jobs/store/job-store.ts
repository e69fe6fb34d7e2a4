import type { JsonSchema, OpenClawError } from '@openclaw-node/core';
import type { JobError, JobEvent, JobEventData, JobEventType, JobRecord, JobState } from '../job-model.js';
import type { StoreWriteObserver } from './write-timing.js';

/** What `create` needs; times are epoch milliseconds. */
export interface NewJob {
  /** The job id; unique. */
  command_id: string;
  node_id: string;
  action: string;
  params?: Record<string, unknown>;
  /** The action's params schema: values it marks `writeOnly`/`secret` are redacted before storage. */
  params_schema?: JsonSchema;
  /** Token name of the caller. */
  requested_by?: string | null;
  /** `running` when the exec is sent at once (saves a write); default `queued`. */
  state?: 'queued' | 'running';
  timeout_s?: number | null;
  /** Offline queue: expire the job if still queued at this time. Marks the job as waiting for its node. */
  expires_at?: number | null;
  idempotency_key?: string | null;
  batch_id?: string | null;
  /** Fingerprint of the request, compared when an Idempotency-Key comes again. */
  request_hash?: string | null;
  /**
   * A `running` job whose caller is answered only at its end (an exec that waits): the SQLite store
   * then resolves `create` before the job is committed and commits it with its end, or after
   * CREATE_COMMIT_DELAY_MS at the latest: one COMMIT per short job instead of two. A process crash in
   * that window loses the job's record (docs/jobs.md). Not stored; other stores ignore it.
   */
  awaits_end?: boolean;
  /**
   * The id was minted for this job by newCommandId (time-ordered, 74 random bits): no stored job can
   * hold it, so the SQLite store's deferred create (awaits_end) skips its duplicate lookup — a read
   * transaction of its own, as much CPU as the rest of the create. The row's primary key still refuses
   * a duplicate when it is written. The Redis store's create adds the job's index entries first and
   * reads nothing: only a resend of the same create finds them there. Ids a caller chose are looked
   * up. Not stored.
   */
  minted_id?: boolean;
  /**
   * Scale-out: the process that sends this `running` job itself (it holds the node's connection). The
   * Redis store records it as the job's runner in the create, so sending it needs no write of its own.
   * Not stored by the other stores.
   */
  runner?: string;
  /**
   * Scale-out: the process storing this `running` job for a node another process holds. The Redis
   * store records it in the create (no write of its own), so that when this process dies before the
   * other one took the job, whoever reaps it ends the job instead of leaving it running with nobody
   * to run it. Not stored by the other stores.
   */
  requester?: string;
  /**
   * Scale-out: a message for process `to` that the Redis store publishes with the job's first event
   * once the job is stored (not for a duplicate, nor when an earlier job of the same Idempotency-Key
   * answers): the start call to the process holding the node, which then gets the job and its start
   * in one message, with no publish of their own (handoverOf). Never carries a secret (script
   * arguments can reach Redis's SLOWLOG). Not stored; the other stores ignore it
   * (CreateJobResult.handed_over says whether it went).
   */
  handover?: { to: string; message: string };
}

/** The outcome of `create`: `created: false` returns the original job of a repeated Idempotency-Key. */
export interface CreateJobResult {
  job: JobRecord;
  created: boolean;
  /** NewJob.handover was published with the create. */
  handed_over?: boolean;
}

/** What a transition may set besides the state. */
export interface TransitionPatch {
  /** Only with `succeeded`. */
  result?: unknown;
  /** Only with a failing terminal state; a default per state is used when absent. */
  error?: JobError | OpenClawError;
  progress?: number;
  message?: string;
}

/** A progress report from the node. */
export interface ProgressUpdate {
  /** 0..1; clamped. */
  progress?: number;
  message?: string;
}

/** `GET /api/jobs` filters; every one given must match. */
export interface JobFilter {
  node_id?: string;
  state?: JobState | readonly JobState[];
  action?: string;
  batch_id?: string;
  requested_by?: string;
}

/** One page request: `cursor` is a previous page's `next_cursor`. */
export interface PageRequest {
  cursor?: string | null;
  /** 1..MAX_PAGE_LIMIT, default DEFAULT_PAGE_LIMIT. */
  limit?: number;
}

/** One page of jobs, newest first; `next_cursor` is null on the last page. */
export interface JobPage {
  jobs: JobRecord[];
  next_cursor: string | null;
}

/** Retention limits: terminal jobs only are removed; queued and running jobs are always kept. */
export interface PurgeOptions {
  /** Remove terminal jobs that finished longer ago than this. */
  maxAgeMs?: number;
  /** Remove the oldest terminal jobs until at most this many jobs remain. */
  maxCount?: number;
}

/** Called after each event is committed (the hook for SSE streams). */
export type JobEventListener = (event: JobEvent) => void;

/** Options every store shares. */
export interface JobStoreOptions {
  /** Log lines kept per job, default 200. */
  logTailLines?: number;
  /** Longer log lines are cut, default 1000 characters. */
  maxLogLineLength?: number;
  /** Events kept per job (older ones are trimmed), default 1000. */
  maxEventsPerJob?: number;
  /** A repeated Idempotency-Key within this window returns the original job, default 24 h. */
  idempotencyWindowMs?: number;
  /** Clock, epoch ms; default Date.now. */
  now?: () => number;
}

export const DEFAULT_LOG_TAIL_LINES = 200;
export const DEFAULT_MAX_LOG_LINE_LENGTH = 1000;
export const DEFAULT_MAX_EVENTS_PER_JOB = 1000;
export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/**
 * The job history. Every method is async so a networked store (Redis) fits behind it; every write is
 * atomic and records its event (create/transition → `state`, updateProgress → `progress`,
 * appendLog → `log`), so callers never append those events themselves.
 */
export interface JobStore {
  /**
   * Insert a job (params redacted per `params_schema`); a repeated idempotency key within the window
   * returns the original. Jobs of one batch share their key: a sibling never counts as the original.
   */
  create(input: NewJob): Promise<CreateJobResult>;
  get(commandId: string): Promise<JobRecord | undefined>;
  /** Move a job to `to` atomically; JOB_NOT_FOUND if unknown, JOB_STATE_CONFLICT if the move is illegal. */
  transition(commandId: string, to: JobState, patch?: TransitionPatch): Promise<JobRecord>;
  /** Record progress of a running job; undefined (ignored) when the job is unknown or not running. */
  updateProgress(commandId: string, update: ProgressUpdate): Promise<JobEvent | undefined>;
  /** Append log lines (split on newlines, each capped) to a job not yet ended; undefined when ignored. */
  appendLog(commandId: string, lines: readonly string[]): Promise<JobEvent | undefined>;
  /** Low level: record one event with the next seq. JOB_NOT_FOUND if the job is unknown. */
  appendEvent<T extends JobEventType>(commandId: string, type: T, data: JobEventData<T>): Promise<JobEvent>;
  /** Events with seq > afterSeq, oldest first (only the last maxEventsPerJob are kept). */
  listEvents(commandId: string, afterSeq?: number, limit?: number): Promise<JobEvent[]>;
  /** Jobs matching the filter, newest first (created_at, then command_id), by opaque cursor. */
  list(filter?: JobFilter, page?: PageRequest): Promise<JobPage>;
  /** The newest job of this requester with this key created at or after `sinceMs`. */
  findByIdempotencyKey(
    requester: string | null,
    key: string,
    sinceMs: number,
  ): Promise<JobRecord | undefined>;
  /** Offline-queued jobs (queued, with expires_at) of a node not yet expired, oldest first. */
  queuedForNode(nodeId: string): Promise<JobRecord[]>;
  /** Queued jobs whose expires_at is at or before `now` become `expired`; returns them. */
  expireQueued(now?: number): Promise<JobRecord[]>;
  /** Jobs a previous process left running (or queued for immediate send) become `lost`; returns them. */
  markInterruptedAsLost(): Promise<JobRecord[]>;
  /** Apply retention; returns how many jobs were removed. */
  purge(options: PurgeOptions): Promise<number>;
  /** Listen to events written through this store instance; returns the unsubscribe function. */
  subscribe(listener: JobEventListener): () => void;
  /**
   * Optional: time every write where the store knows when it lands (the SQLite group commit), with no
   * extra promise per write; `undefined` stops it. The server times the calls of a store without it.
   */
  observeWrites?(observer: StoreWriteObserver | undefined): void;
  close(): Promise<void>;
}
