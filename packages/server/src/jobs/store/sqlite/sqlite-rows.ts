import type { CursorPosition } from '../cursor.js';
import type { JobError, JobEvent, JobState } from '../../job-model.js';
import { isoTime, stateEventData, type JobRow } from '../job-row.js';
import type { JobFilter } from '../job-store.js';
import { STATE_INDEX_CONDITION } from './sqlite-schema.js';

/** A `jobs` row as SQLite returns it: JSON columns as text. */
export interface DbRow {
  command_id: string;
  node_id: string;
  action: string;
  params: string;
  requested_by: string | null;
  state: JobState;
  created_ms: number;
  expires_ms: number | null;
  started_ms: number | null;
  finished_ms: number | null;
  progress: number | null;
  message: string | null;
  result: string | null;
  error: string | null;
  log_tail: string;
  timeout_s: number | null;
  idempotency_key: string | null;
  batch_id: string | null;
  request_hash: string | null;
  event_seq: number;
  /** 1: the job's two state events are not stored but implied by the row (impliedStateEvents). */
  implied_events: 0 | 1;
}

/** A `job_events` row. */
export interface DbEvent {
  job_id: string;
  seq: number;
  type: JobEvent['type'];
  data: string;
  at_ms: number;
}

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Decode the JSON columns. */
export function fromDbRow(row: DbRow): JobRow {
  const { implied_events: _implied, ...columns } = row;
  return {
    ...columns,
    params: JSON.parse(row.params) as Record<string, unknown>,
    result: parse<unknown>(row.result),
    error: parse<JobError>(row.error),
    log_tail: JSON.parse(row.log_tail) as string[],
  };
}

const json = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** The columns a change of a job writes (its UPDATE), in the order of changeValues; never params. */
export const UPDATE_COLUMNS = [
  'state',
  'started_ms',
  'finished_ms',
  'progress',
  'message',
  'result',
  'error',
  'log_tail',
  'event_seq',
] as const satisfies readonly (keyof DbRow)[];

/** The columns of the INSERT, in the order of insertValues: those set once, then UPDATE_COLUMNS. */
export const INSERT_COLUMNS = [
  'command_id',
  'node_id',
  'action',
  'params',
  'requested_by',
  'created_ms',
  'expires_ms',
  'timeout_s',
  'idempotency_key',
  'batch_id',
  'request_hash',
  'implied_events',
  ...UPDATE_COLUMNS,
] as const satisfies readonly (keyof DbRow)[];

function changeValues(row: JobRow): unknown[] {
  return [
    row.state,
    row.started_ms,
    row.finished_ms,
    row.progress,
    row.message,
    json(row.result),
    json(row.error),
    JSON.stringify(row.log_tail),
    row.event_seq,
  ];
}

/**
 * A row's values for the INSERT, JSON columns encoded (a null result is SQL NULL). Positional: binding
 * an object by parameter names costs SQLite's driver a lookup per column, a third of a short job's insert.
 */
export function insertValues(row: JobRow, impliedEvents = false): unknown[] {
  return [
    row.command_id,
    row.node_id,
    row.action,
    JSON.stringify(row.params),
    row.requested_by,
    row.created_ms,
    row.expires_ms,
    row.timeout_s,
    row.idempotency_key,
    row.batch_id,
    row.request_hash,
    impliedEvents ? 1 : 0,
    ...changeValues(row),
  ];
}

/** A row's INSERT values by column name (EndedJournal's records). */
export function insertRecord(values: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < INSERT_COLUMNS.length; i++) record[INSERT_COLUMNS[i]!] = values[i];
  return record;
}

/** A row's values for the UPDATE, then its command id (the WHERE). */
export function updateValues(row: JobRow): unknown[] {
  const values = changeValues(row);
  values.push(row.command_id);
  return values;
}

/** A better-sqlite3 error for a row whose primary key is taken. */
export function isPrimaryKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Decode one stored event. */
export function fromDbEvent(row: DbEvent): JobEvent {
  return {
    seq: row.seq,
    job_id: row.job_id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    at: new Date(row.at_ms).toISOString(),
  } as JobEvent;
}

/** The columns a job's implied state events are rebuilt from. */
export type ImpliedEventsRow = Pick<DbRow, 'command_id' | 'state' | 'created_ms' | 'finished_ms' | 'error'>;

/**
 * The two state events of a job written as one row with its end (`implied_events`), rebuilt from the
 * row as they were emitted: `running` at its creation, then the state it ended in (with its error) at
 * its end. Only a job that ran from its creation to its end, with no event in between, is written so.
 */
export function impliedStateEvents(row: ImpliedEventsRow): [JobEvent, JobEvent] {
  const error = parse<JobError>(row.error);
  const end = stateEventData({ state: row.state, error });
  return [
    {
      seq: 1,
      job_id: row.command_id,
      type: 'state',
      data: { state: 'running' },
      at: isoTime(row.created_ms),
    },
    {
      seq: 2,
      job_id: row.command_id,
      type: 'state',
      data: end,
      at: isoTime(row.finished_ms ?? row.created_ms),
    },
  ];
}

/**
 * The SELECT for one page: only the filters given appear in the SQL (so each combination is one cached
 * statement and SQLite can pick the matching index), keyset-paginated on (created_ms, command_id).
 */
export function buildListQuery(
  filter: Omit<JobFilter, 'state'> & { state?: readonly JobState[] | undefined },
  after: CursorPosition | undefined,
  limit: number,
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const column of ['node_id', 'action', 'batch_id', 'requested_by'] as const) {
    const value = filter[column];
    if (value !== undefined) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (filter.state !== undefined) {
    where.push(`state IN (${filter.state.map(() => '?').join(', ')})`);
    params.push(...filter.state);
    // Without succeeded jobs: jobs_by_state holds them all (and says so in its condition).
    if (!filter.state.includes('succeeded')) where.push(STATE_INDEX_CONDITION);
  }
  if (after) {
    where.push('(created_ms, command_id) < (?, ?)');
    params.push(after.createdMs, after.commandId);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  params.push(limit);
  return { sql: `SELECT * FROM jobs ${clause} ORDER BY created_ms DESC, command_id DESC LIMIT ?`, params };
}
