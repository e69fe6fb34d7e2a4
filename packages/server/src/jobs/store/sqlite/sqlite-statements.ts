import type { Database, Statement } from 'better-sqlite3';
import { TERMINAL_STATES } from '../../job-model.js';
import {
  INSERT_COLUMNS,
  UPDATE_COLUMNS,
  type DbEvent,
  type DbRow,
  type ImpliedEventsRow,
} from './sqlite-rows.js';
import { STATE_INDEX_CONDITION } from './sqlite-schema.js';

const TERMINAL_SQL = TERMINAL_STATES.map((s) => `'${s}'`).join(', ');

type Rows<R> = Statement<unknown[], R>;
type Write = Statement<unknown[]>;

/** The statements of one open database. */
export interface JobStatements {
  get: Rows<DbRow>;
  /** 1 when the job has a row. */
  exists: Statement<unknown[], number>;
  insert: Write;
  update: Write;
  /** Replace the params (a job that ended without being sent drops them); the rest of a row never rewrites them. */
  setParams: Write;
  insertEvent: Write;
  trimEvents: Write;
  events: Rows<DbEvent>;
  /** The row of a job whose state events are implied by it (none when they are stored). */
  impliedEvents: Rows<ImpliedEventsRow>;
  /** Mark a job's implied events as stored (the caller inserted them). */
  storeImpliedEvents: Write;
  byKey: Rows<DbRow>;
  byKeyOutsideBatch: Rows<DbRow>;
  queuedForNode: Rows<DbRow>;
  due: Rows<DbRow>;
  interrupted: Rows<DbRow>;
  purgeFinishedBefore: Write;
  count: Rows<{ n: number }>;
  purgeOldest: Write;
}

/** Every fixed statement of the SQLite store, prepared once when it opens. */
export function prepareJobStatements(db: Database): JobStatements {
  const prepare = <R = unknown>(sql: string): Statement<unknown[], R> => db.prepare<unknown[], R>(sql);
  return {
    get: prepare<DbRow>('SELECT * FROM jobs WHERE command_id = ?'),
    exists: db.prepare<unknown[], number>('SELECT 1 FROM jobs WHERE command_id = ?').pluck(),
    insert: prepare(
      `INSERT INTO jobs (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`,
    ),
    update: prepare(
      `UPDATE jobs SET ${UPDATE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE command_id = ?`,
    ),
    setParams: prepare('UPDATE jobs SET params = ? WHERE command_id = ?'),
    insertEvent: prepare('INSERT INTO job_events (job_id, seq, type, data, at_ms) VALUES (?, ?, ?, ?, ?)'),
    trimEvents: prepare('DELETE FROM job_events WHERE job_id = ? AND seq <= ?'),
    events: prepare<DbEvent>(
      'SELECT job_id, seq, type, data, at_ms FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    impliedEvents: prepare<ImpliedEventsRow>(
      `SELECT command_id, state, created_ms, finished_ms, error FROM jobs
     WHERE command_id = ? AND implied_events = 1`,
    ),
    storeImpliedEvents: prepare('UPDATE jobs SET implied_events = 0 WHERE command_id = ?'),
    byKey: prepare<DbRow>(
      `SELECT * FROM jobs WHERE idempotency_key = ? AND requested_by IS ? AND created_ms >= ?
     ORDER BY created_ms DESC, command_id DESC LIMIT 1`,
    ),
    byKeyOutsideBatch: prepare<DbRow>(
      `SELECT * FROM jobs WHERE idempotency_key = ? AND requested_by IS ? AND created_ms >= ?
       AND (batch_id IS NULL OR batch_id <> ?)
     ORDER BY created_ms DESC, command_id DESC LIMIT 1`,
    ),
    queuedForNode: prepare<DbRow>(
      `SELECT * FROM jobs WHERE node_id = ? AND state = 'queued' AND expires_ms > ?
     ORDER BY created_ms, command_id`,
    ),
    due: prepare<DbRow>(
      `SELECT * FROM jobs WHERE state = 'queued' AND expires_ms IS NOT NULL AND expires_ms <= ?
     ORDER BY created_ms, command_id`,
    ),
    interrupted: prepare<DbRow>(
      // Found through jobs_by_state (a few rows, sorted) rather than by reading the whole history in order.
      `SELECT * FROM jobs WHERE state IN ('running', 'queued') AND ${STATE_INDEX_CONDITION}
       AND (state = 'running' OR expires_ms IS NULL)
     ORDER BY created_ms, command_id`,
    ),
    // A job finishes after it is created: the created index narrows the scan to jobs old enough.
    purgeFinishedBefore: prepare('DELETE FROM jobs WHERE created_ms < @before AND finished_ms < @before'),
    count: prepare<{ n: number }>('SELECT COUNT(*) AS n FROM jobs'),
    purgeOldest: prepare(
      `DELETE FROM jobs WHERE command_id IN (
       SELECT command_id FROM jobs WHERE state IN (${TERMINAL_SQL}) ORDER BY created_ms, command_id LIMIT ?)`,
    ),
  };
}

/** The transaction control of the writing connection (group commit, savepoints, checkpoints). */
export interface TransactionStatements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
  /** The writing connection's own checkpoint (see REWIND_WAL_PAGES). */
  checkpoint: Statement;
  /** Changes when another connection (another process) committed to the file. */
  dataVersion: Statement<[], number>;
}

export function prepareTransactionStatements(db: Database): TransactionStatements {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT job_write'),
    release: db.prepare('RELEASE job_write'),
    rollbackTo: db.prepare('ROLLBACK TO job_write'),
    checkpoint: db.prepare('PRAGMA wal_checkpoint(PASSIVE)'),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
}
