import { OpenClawError } from '@openclaw-node/core';
import type { JobError, JobEvent, JobState } from '../../job-model.js';
import type { JobRow } from '../job-row.js';

/**
 * How a JobRow lives in its Redis hash: ids and the state as they are, numbers as their shortest
 * decimal form (exact round trip), params/message/result/error as JSON (so a script can copy the
 * message into a progress event as is). A null field is absent.
 */
const NUMBER_FIELDS = [
  'created_ms',
  'expires_ms',
  'started_ms',
  'finished_ms',
  'progress',
  'timeout_s',
  'event_seq',
] as const;
const JSON_FIELDS = ['params', 'message', 'result', 'error'] as const;
const TEXT_FIELDS = [
  'command_id',
  'node_id',
  'action',
  'requested_by',
  'state',
  'idempotency_key',
  'batch_id',
  'request_hash',
] as const;

/** A job as the scripts return it: its hash as a flat [field, value, …] list, and its log tail. */
export type StoredJob = [hash: string[], log: string[]];

/** The hash of a new job. */
export function toJobHash(row: JobRow): Record<string, string> {
  const hash: Record<string, string> = {};
  for (const field of TEXT_FIELDS) {
    const value = row[field];
    if (value !== null) hash[field] = value;
  }
  for (const field of NUMBER_FIELDS) {
    const value = row[field];
    if (value !== null) hash[field] = String(value);
  }
  for (const field of JSON_FIELDS) {
    const value = row[field];
    if (value !== null && value !== undefined) hash[field] = JSON.stringify(value);
  }
  return hash;
}

function corrupt(what: string): OpenClawError {
  return new OpenClawError('JOB_STORE_FAILED', `The Redis job store returned ${what}`, {
    details: { store: 'redis' },
  });
}

/** True for a script's answer holding one job. */
export function isStoredJob(value: unknown): value is StoredJob {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Array.isArray(value[0]) &&
    value[0].length > 0 &&
    Array.isArray(value[1])
  );
}

/** The row of a stored job; JOB_STORE_FAILED when the answer is not one. */
export function fromStoredJob(stored: unknown): JobRow {
  if (!isStoredJob(stored)) throw corrupt('something that is not a job');
  const [flat, log] = stored;
  const h = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
  const text = (field: string): string | null => h.get(field) ?? null;
  const num = (field: string): number | null => {
    const value = h.get(field);
    return value === undefined ? null : Number(value);
  };
  const json = (field: string): unknown => {
    const value = h.get(field);
    return value === undefined ? null : (JSON.parse(value) as unknown);
  };
  const id = text('command_id');
  const state = text('state');
  if (id === null || state === null) throw corrupt('a job without command_id or state');
  return {
    command_id: id,
    node_id: text('node_id') ?? '',
    action: text('action') ?? '',
    params: (json('params') ?? {}) as Record<string, unknown>,
    requested_by: text('requested_by'),
    state: state as JobState,
    created_ms: num('created_ms') ?? 0,
    expires_ms: num('expires_ms'),
    started_ms: num('started_ms'),
    finished_ms: num('finished_ms'),
    progress: num('progress'),
    message: json('message') as string | null,
    result: json('result'),
    error: json('error') as JobError | null,
    log_tail: log.map(String),
    timeout_s: num('timeout_s'),
    idempotency_key: text('idempotency_key'),
    batch_id: text('batch_id'),
    request_hash: text('request_hash'),
    event_seq: num('event_seq') ?? 0,
  };
}

/** One event as stored and published (JSON written by a script). */
export function parseStoredEvent(json: unknown): JobEvent {
  if (typeof json !== 'string') throw corrupt('an event that is not text');
  return JSON.parse(json) as JobEvent;
}
