import {
  JOB_STATE_NAMES,
  OpenClawError,
  TERMINAL_JOB_STATES,
  type ErrorPayload,
  type JobStateName,
  type TerminalJobStateName,
} from '@openclaw-node/core';

/** Every state a job can be in, in lifecycle order: core's list (the REST types share it). */
export const JOB_STATES = JOB_STATE_NAMES;

/** The state of one job. */
export type JobState = JobStateName;

/** States a job never leaves. */
export const TERMINAL_STATES = TERMINAL_JOB_STATES;

/** A state a job never leaves. */
export type TerminalJobState = TerminalJobStateName;

/**
 * The legal moves, from → to. `queued → lost` covers an immediate job whose server stopped before
 * sending it; `running → queued` is absent on purpose: a job that may have started is never re-run.
 */
export const JOB_TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['running', 'failed', 'cancelled', 'lost', 'expired'],
  running: ['succeeded', 'failed', 'timed_out', 'cancelled', 'lost'],
  succeeded: [],
  failed: [],
  timed_out: [],
  cancelled: [],
  lost: [],
  expired: [],
};

/**
 * The states a job may end in while still queued, so without its params ever reaching a node (an
 * offline job that expired, a job cancelled in the queue, an immediate job whose server stopped).
 */
export const NEVER_SENT_END_STATES = ['expired', 'cancelled', 'lost'] as const satisfies readonly JobState[];

/**
 * What a job that ended without being sent stores instead of its params, written in the same write
 * as the state change: such a job holds no room in the history for its retention period, so a token
 * cannot grow the store by queueing to its caps, letting the jobs expire and queueing again.
 */
export const DROPPED_PARAMS: Readonly<Record<string, string>> = Object.freeze({
  __dropped__: 'never sent; params dropped when the job ended',
});

/** True when moving `from` → `to` ends a job that was never sent (its params are dropped). */
export function dropsParams(from: JobState, to: JobState): boolean {
  return from === 'queued' && (NEVER_SENT_END_STATES as readonly JobState[]).includes(to);
}

/** True for params a store dropped (see DROPPED_PARAMS). */
export function isDroppedParams(params: unknown): boolean {
  return (
    typeof params === 'object' &&
    params !== null &&
    Object.keys(params).length === 1 &&
    (params as Record<string, unknown>).__dropped__ === DROPPED_PARAMS.__dropped__
  );
}

/** True for a state a job never leaves. */
export function isTerminal(state: JobState): state is TerminalJobState {
  return (TERMINAL_STATES as readonly JobState[]).includes(state);
}

/** True when `value` names a job state. */
export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value);
}

/** True when a job may move from `from` to `to`. */
export function canTransition(from: JobState, to: JobState): boolean {
  return JOB_TRANSITIONS[from].includes(to);
}

/** Throws JOB_STATE_CONFLICT (409) unless `from → to` is in JOB_TRANSITIONS. */
export function assertTransition(commandId: string, from: JobState, to: JobState): void {
  if (canTransition(from, to)) return;
  const why = isTerminal(from)
    ? `it already ended as ${from}`
    : `${from} may only become ${JOB_TRANSITIONS[from].join(', ')}`;
  throw new OpenClawError('JOB_STATE_CONFLICT', `Job ${commandId} cannot become ${to}: ${why}`, {
    details: { field: 'state', command_id: commandId, from, to },
  });
}

/** The error a job ended with: the wire payload of OpenClawError. */
export type JobError = ErrorPayload;

/** One job as stored and as served by `GET /api/jobs`: snake_case, timestamps in ISO 8601. */
export interface JobRecord {
  /** The job id: the `command_id` of the exec. */
  command_id: string;
  node_id: string;
  /** `plugin.action`. */
  action: string;
  /** The params as sent, with values the schema marks secret replaced by "[redacted]". */
  params: Record<string, unknown>;
  /** Name of the token (principal) that asked for the job; null when unknown. */
  requested_by: string | null;
  state: JobState;
  created_at: string;
  /** Offline queue: the job expires if still queued at this time; null for an immediate job. */
  expires_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** finished_at − started_at; null until the job ends, or when it never started. */
  duration_ms: number | null;
  /** 0..1, the last progress the node reported. */
  progress: number | null;
  /** The last progress message. */
  message: string | null;
  /** The action's result; null unless the job succeeded. */
  result: unknown;
  /** Why the job did not succeed; null otherwise. */
  error: JobError | null;
  /** The last log lines the action emitted, oldest first. */
  log_tail: string[];
  timeout_s: number | null;
  idempotency_key: string | null;
  /** Shared by the jobs of one fan-out request. */
  batch_id: string | null;
  /** Fingerprint of the request that created the job (tells a replay from a reused Idempotency-Key); not served. */
  request_hash: string | null;
}

/** What a JobEvent reports. */
export type JobEventType = 'state' | 'progress' | 'log';

/** Payload of a `state` event. */
export interface JobStateEventData {
  state: JobState;
  error?: JobError;
}

/** Payload of a `progress` event. */
export interface JobProgressEventData {
  progress: number | null;
  message: string | null;
}

/** Payload of a `log` event. */
export interface JobLogEventData {
  lines: string[];
}

/** One event of a job, numbered per job (the SSE `id`, replayed after Last-Event-ID). */
export type JobEvent = {
  /** 1, 2, 3… per job, never reused, even after old events are trimmed. */
  seq: number;
  job_id: string;
  /** ISO 8601. */
  at: string;
} & (
  | { type: 'state'; data: JobStateEventData }
  | { type: 'progress'; data: JobProgressEventData }
  | { type: 'log'; data: JobLogEventData }
);

/** The data an event of one type carries. */
export type JobEventData<T extends JobEventType> = Extract<JobEvent, { type: T }>['data'];

/** The error a terminal state gets when the caller gives none. */
export function defaultJobError(state: Exclude<TerminalJobState, 'succeeded'>): JobError {
  switch (state) {
    case 'failed':
      return { code: 'ACTION_FAILED', message: 'The action failed' };
    case 'timed_out':
      return { code: 'TIMEOUT', message: 'The action exceeded its timeout' };
    case 'cancelled':
      return { code: 'CANCELLED', message: 'The job was cancelled' };
    case 'lost':
      return {
        code: 'JOB_LOST',
        message: 'The server stopped while the job was running; its outcome is unknown',
      };
    case 'expired':
      return {
        code: 'JOB_EXPIRED',
        message: 'The job waited in the queue past its ttl without the node connecting',
      };
  }
}
