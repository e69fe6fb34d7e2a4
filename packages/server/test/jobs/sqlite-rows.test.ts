import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/jobs/store/job-row.js';
import {
  fromDbRow,
  insertValues,
  updateValues,
  type DbRow,
} from '../../src/jobs/store/sqlite/sqlite-rows.js';
import { MIGRATIONS } from '../../src/jobs/store/sqlite/sqlite-schema.js';
import { prepareJobStatements } from '../../src/jobs/store/sqlite/sqlite-statements.js';

/** The INSERT and UPDATE bind by position: every column must land where it belongs. */
let db: BetterSqlite3.Database | undefined;
afterEach(() => db?.close());

function openSchema(): ReturnType<typeof prepareJobStatements> {
  db = new BetterSqlite3(':memory:');
  for (const migration of MIGRATIONS) db.exec(migration);
  return prepareJobStatements(db);
}

// Every field set, and no two of the same type alike, so a value in the wrong column shows.
const row: JobRow = {
  command_id: 'job-1',
  node_id: 'ws-042',
  action: 'nuke.render',
  params: { write: 'Write_comp', frames: '1001-1100' },
  requested_by: 'pipeline',
  state: 'failed',
  created_ms: 1_000,
  expires_ms: 2_000,
  started_ms: 3_000,
  finished_ms: 4_000,
  progress: 0.25,
  message: 'frame 1025',
  result: { frames: 24 },
  error: { code: 'NODE_TIMEOUT', message: 'no answer' },
  log_tail: ['line one', 'line two'],
  timeout_s: 5.5,
  idempotency_key: 'key-7',
  batch_id: 'batch-9',
  request_hash: 'hash-3',
  event_seq: 6,
};

describe('SQLite rows bound by position', () => {
  it('insert every column into its own place, and read back the same row', () => {
    const sql = openSchema();
    sql.insert.run(insertValues(row, true));
    const stored = sql.get.get('job-1') as DbRow;
    expect(stored.implied_events).toBe(1);
    expect(fromDbRow(stored)).toEqual(row);
  });

  it('update the columns of a state change and nothing else', () => {
    const sql = openSchema();
    sql.insert.run(insertValues({ ...row, state: 'running', finished_ms: null, error: null }));
    const next: JobRow = {
      ...row,
      params: { changed: 'never written by an update' },
      state: 'succeeded',
      started_ms: 3_100,
      finished_ms: 4_100,
      progress: 1,
      message: 'done',
      result: ['r'],
      error: null,
      log_tail: ['last'],
      event_seq: 9,
    };
    sql.update.run(updateValues(next));
    expect(fromDbRow(sql.get.get('job-1') as DbRow)).toEqual({ ...next, params: row.params });
  });
});
