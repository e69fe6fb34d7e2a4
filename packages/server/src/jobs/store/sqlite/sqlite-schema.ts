import { OpenClawError } from '@openclaw-node/core';
import type { Database } from 'better-sqlite3';
import { JOB_STATES } from '../../job-model.js';

const STATES = JOB_STATES.map((s) => `'${s}'`).join(', ');

/**
 * The schema, one entry per version, applied in order; `PRAGMA user_version` records how many ran.
 * Append a new entry to change the schema; never edit a released one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    command_id      TEXT PRIMARY KEY,
    node_id         TEXT NOT NULL,
    action          TEXT NOT NULL,
    params          TEXT NOT NULL,            -- JSON, secrets redacted
    requested_by    TEXT,
    state           TEXT NOT NULL CHECK (state IN (${STATES})),
    created_ms      INTEGER NOT NULL,
    expires_ms      INTEGER,
    started_ms      INTEGER,
    finished_ms     INTEGER,
    progress        REAL,
    message         TEXT,
    result          TEXT,                     -- JSON
    error           TEXT,                     -- JSON { code, message, details? }
    log_tail        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    timeout_s       REAL,
    idempotency_key TEXT,
    batch_id        TEXT,
    event_seq       INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX jobs_by_created ON jobs (created_ms, command_id);
  CREATE INDEX jobs_by_node ON jobs (node_id, created_ms, command_id);
  CREATE INDEX jobs_by_state ON jobs (state, created_ms, command_id);
  CREATE INDEX jobs_by_action ON jobs (action, created_ms, command_id);
  CREATE INDEX jobs_by_batch ON jobs (batch_id, created_ms, command_id) WHERE batch_id IS NOT NULL;
  CREATE INDEX jobs_by_idempotency_key ON jobs (idempotency_key, requested_by, created_ms)
    WHERE idempotency_key IS NOT NULL;
  CREATE INDEX jobs_queued_by_expiry ON jobs (expires_ms) WHERE state = 'queued' AND expires_ms IS NOT NULL;
  CREATE INDEX jobs_by_finished ON jobs (finished_ms) WHERE finished_ms IS NOT NULL;

  CREATE TABLE job_events (
    job_id TEXT NOT NULL REFERENCES jobs (command_id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    type   TEXT NOT NULL CHECK (type IN ('state', 'progress', 'log')),
    data   TEXT NOT NULL,                     -- JSON
    at_ms  INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
  ) STRICT, WITHOUT ROWID;
  `,
  // 2: the request fingerprint, to tell an Idempotency-Key replay from a key reused for another request.
  `
  ALTER TABLE jobs ADD COLUMN request_hash TEXT;
  `,
  // 3: fewer pages written per job (each COMMIT writes every page it changed into the WAL).
  // The state index leaves out succeeded jobs, most of the history: a list of them reads jobs_by_created,
  // where they are nearly every row. Retention by age reads jobs_by_created too (a job finishes after
  // it is created), so jobs_by_finished goes.
  `
  DROP INDEX jobs_by_state;
  CREATE INDEX jobs_by_state ON jobs (state, created_ms, command_id) WHERE state <> 'succeeded';
  DROP INDEX jobs_by_finished;
  `,
  // 4: a job written as one row with its end (its create was deferred, see SqliteJobStore#defer) has
  // its two state events implied by the row instead of stored: two rows and their pages fewer per job.
  `
  ALTER TABLE jobs ADD COLUMN implied_events INTEGER NOT NULL DEFAULT 0 CHECK (implied_events IN (0, 1));
  `,
];

/** The condition of the partial index jobs_by_state: a query uses the index only when it says so itself. */
export const STATE_INDEX_CONDITION = "state <> 'succeeded'";

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Bring the file to SCHEMA_VERSION in one write transaction (safe when two processes open it at once). */
export function migrate(db: Database, file: string): number {
  const read = (): number => db.pragma('user_version', { simple: true }) as number;
  const run = db.transaction(() => {
    const current = read();
    if (current > SCHEMA_VERSION) {
      throw new OpenClawError(
        'JOB_STORE_FAILED',
        `${file} has job schema version ${current}, newer than this server's ${SCHEMA_VERSION}: upgrade the server or use another data directory`,
        { details: { field: 'dataDir', path: file, schema_version: current, supported: SCHEMA_VERSION } },
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!);
      // PRAGMA takes no bound parameters; the value is our own integer.
      db.pragma(`user_version = ${version + 1}`);
    }
    return read();
  });
  return run.immediate();
}
