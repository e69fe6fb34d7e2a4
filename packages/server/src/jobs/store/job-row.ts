import { OpenClawError, isErrorPayload, isOpenClawError, toErrorPayload } from '@openclaw-node/core';
import {
  assertTransition,
  defaultJobError,
  DROPPED_PARAMS,
  dropsParams,
  isTerminal,
  type JobError,
  type JobEvent,
  type JobEventData,
  type JobEventType,
  type JobRecord,
  type JobState,
  type JobStateEventData,
} from '../job-model.js';
import type { JobStoreOptions, NewJob, ProgressUpdate, TransitionPatch } from './job-store.js';
import {
  DEFAULT_IDEMPOTENCY_WINDOW_MS,
  DEFAULT_LOG_TAIL_LINES,
  DEFAULT_MAX_EVENTS_PER_JOB,
  DEFAULT_MAX_LOG_LINE_LENGTH,
} from './job-store.js';
import { redactedForCopy } from './redact.js';

/** A job as both stores hold it: times in epoch ms, plus the last event seq. */
export interface JobRow {
  command_id: string;
  node_id: string;
  action: string;
  params: Record<string, unknown>;
  requested_by: string | null;
  state: JobState;
  created_ms: number;
  expires_ms: number | null;
  started_ms: number | null;
  finished_ms: number | null;
  progress: number | null;
  message: string | null;
  result: unknown;
  error: JobError | null;
  log_tail: string[];
  timeout_s: number | null;
  idempotency_key: string | null;
  batch_id: string | null;
  request_hash: string | null;
  event_seq: number;
}

export type ResolvedStoreOptions = Required<JobStoreOptions>;

/** Fill defaults; CONFIG_INVALID naming the option for a bad value. */
export function resolveStoreOptions(options: JobStoreOptions): ResolvedStoreOptions {
  const resolved: ResolvedStoreOptions = {
    logTailLines: options.logTailLines ?? DEFAULT_LOG_TAIL_LINES,
    maxLogLineLength: options.maxLogLineLength ?? DEFAULT_MAX_LOG_LINE_LENGTH,
    maxEventsPerJob: options.maxEventsPerJob ?? DEFAULT_MAX_EVENTS_PER_JOB,
    idempotencyWindowMs: options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS,
    now: options.now ?? Date.now,
  };
  for (const field of [
    'logTailLines',
    'maxLogLineLength',
    'maxEventsPerJob',
    'idempotencyWindowMs',
  ] as const) {
    const value = resolved[field];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new OpenClawError('CONFIG_INVALID', `${field} must be a positive integer, got ${String(value)}`, {
        details: { field },
      });
    }
  }
  return resolved;
}

function invalid(field: string, rule: string): OpenClawError {
  return new OpenClawError('INVALID_BODY', `${field} ${rule}`, { details: { field } });
}

// Printable, no control characters: ids end up in logs, URLs and SSE lines.
const ID_PATTERN = /^[^\p{Cc}]+$/u;

function checkId(field: string, value: unknown, maxLength: number): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > maxLength ||
    !ID_PATTERN.test(value)
  ) {
    throw invalid(field, `must be a non-empty string of at most ${maxLength} printable characters`);
  }
  return value;
}

function optionalId(field: string, value: unknown, maxLength: number): string | null {
  return value === undefined || value === null ? null : checkId(field, value, maxLength);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON round trip: what SQLite would store, so both stores return the same shapes. */
export function toJsonValue(field: string, value: unknown): unknown {
  if (value === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw invalid(field, `must be JSON-serialisable (${(error as Error).message})`);
  }
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

/** Validate and redact a new job into a row. */
export function buildJobRow(input: NewJob, now: number): JobRow {
  if (!isPlainObject(input)) throw invalid('job', 'must be an object');
  const params = input.params ?? {};
  if (!isPlainObject(params)) throw invalid('params', 'must be an object');
  const state = input.state ?? 'queued';
  if (state !== 'queued' && state !== 'running') throw invalid('state', 'must be "queued" or "running"');
  const timeout = input.timeout_s ?? null;
  if (timeout !== null && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    throw invalid('timeout_s', 'must be a positive number of seconds');
  }
  const expires = input.expires_at ?? null;
  if (expires !== null && !Number.isSafeInteger(expires))
    throw invalid('expires_at', 'must be epoch milliseconds');
  if (expires !== null && state !== 'queued') throw invalid('expires_at', 'only applies to a queued job');
  return {
    command_id: checkId('command_id', input.command_id, 128),
    node_id: checkId('node_id', input.node_id, 256),
    action: checkId('action', input.action, 256),
    params: toJsonValue('params', redactedForCopy(params, input.params_schema)) as Record<string, unknown>,
    requested_by: optionalId('requested_by', input.requested_by, 256),
    state,
    created_ms: now,
    expires_ms: expires,
    started_ms: state === 'running' ? now : null,
    finished_ms: null,
    progress: null,
    message: null,
    result: null,
    error: null,
    log_tail: [],
    timeout_s: timeout,
    idempotency_key: optionalId('idempotency_key', input.idempotency_key, 255),
    batch_id: optionalId('batch_id', input.batch_id, 128),
    request_hash: optionalId('request_hash', input.request_hash, 128),
    event_seq: 0,
  };
}

// The last time formatted: a job's record and events, and the jobs of one busy turn, mostly share
// the millisecond, so most calls skip the Date and the formatting.
let lastMs = Number.NaN;
let lastIso = '';

/** `ms` in ISO 8601 (UTC, milliseconds). */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

/** The REST view of a row. */
export function toJobRecord(row: JobRow): JobRecord {
  return {
    command_id: row.command_id,
    node_id: row.node_id,
    action: row.action,
    params: row.params,
    requested_by: row.requested_by,
    state: row.state,
    created_at: isoTime(row.created_ms),
    expires_at: iso(row.expires_ms),
    started_at: iso(row.started_ms),
    finished_at: iso(row.finished_ms),
    duration_ms:
      row.finished_ms !== null && row.started_ms !== null
        ? Math.max(0, row.finished_ms - row.started_ms)
        : null,
    progress: row.progress,
    message: row.message,
    result: row.result,
    error: row.error,
    log_tail: row.log_tail,
    timeout_s: row.timeout_s,
    idempotency_key: row.idempotency_key,
    batch_id: row.batch_id,
    request_hash: row.request_hash,
  };
}

function normalizeError(value: unknown): JobError {
  if (isOpenClawError(value)) return toErrorPayload(value);
  if (!isErrorPayload(value)) throw invalid('error', 'must be { code, message, details? }');
  const error: JobError = { code: value.code, message: value.message };
  if (value.details !== undefined)
    error.details = toJsonValue('error.details', value.details) as NonNullable<JobError['details']>;
  return error;
}

/** Cut a progress message to the log line cap. */
export function capMessage(message: string, maxLength: number): string {
  return message.length <= maxLength ? message : `${message.slice(0, maxLength - 1)}…`;
}

/** Check a progress report: progress clamped to 0..1, message capped. */
export function normalizeProgress(
  update: ProgressUpdate,
  maxLength: number,
): { progress?: number; message?: string } {
  const out: { progress?: number; message?: string } = {};
  if (update.progress !== undefined) {
    if (typeof update.progress !== 'number' || !Number.isFinite(update.progress)) {
      throw invalid('progress', 'must be a number from 0 to 1');
    }
    out.progress = Math.min(1, Math.max(0, update.progress));
  }
  if (update.message !== undefined) {
    if (typeof update.message !== 'string') throw invalid('message', 'must be a string');
    out.message = capMessage(update.message, maxLength);
  }
  return out;
}

/**
 * The row after moving to `to` at `now`: JOB_STATE_CONFLICT for an illegal move, INVALID_BODY for a
 * patch that does not fit the target state (a result on a failure, an error on a success).
 */
export function applyTransition(
  row: JobRow,
  to: JobState,
  patch: TransitionPatch,
  now: number,
  maxMessageLength: number,
): JobRow {
  assertTransition(row.command_id, row.state, to);
  if (patch.result !== undefined && to !== 'succeeded')
    throw invalid('result', 'is only kept for a succeeded job');
  if (patch.error !== undefined && (to === 'succeeded' || !isTerminal(to))) {
    throw invalid('error', `does not apply to a ${to} job`);
  }
  const next: JobRow = { ...row, state: to };
  if (dropsParams(row.state, to)) next.params = { ...DROPPED_PARAMS };
  const progress = normalizeProgress(patch, maxMessageLength);
  if (progress.progress !== undefined) next.progress = progress.progress;
  if (progress.message !== undefined) next.message = progress.message;
  if (to === 'running') next.started_ms = now;
  if (isTerminal(to)) {
    next.finished_ms = now;
    if (to === 'succeeded') next.result = toJsonValue('result', patch.result);
    else next.error = patch.error === undefined ? defaultJobError(to) : normalizeError(patch.error);
  }
  return next;
}

/** The payload of the `state` event a row in its current state gets. */
export function stateEventData(row: Pick<JobRow, 'state' | 'error'>): JobStateEventData {
  return row.error && isTerminal(row.state) ? { state: row.state, error: row.error } : { state: row.state };
}

/** The next event of a row: bumps `row.event_seq` (the caller persists both together). */
export function nextEvent<T extends JobEventType>(
  row: JobRow,
  type: T,
  data: JobEventData<T>,
  now: number,
): JobEvent {
  row.event_seq += 1;
  return {
    seq: row.event_seq,
    job_id: row.command_id,
    type,
    data,
    at: isoTime(now),
  } as JobEvent;
}
