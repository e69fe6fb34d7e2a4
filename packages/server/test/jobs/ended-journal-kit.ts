import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import type { NewJob } from '../../src/jobs/index.js';
import { ENDED_JOURNAL_SUFFIX, readEndedJournal } from '../../src/jobs/store/sqlite/ended-journal.js';
import { newJob } from './job-store-suite.js';

const SCENARIOS = fileURLToPath(new URL('./fixtures/ended-journal-scenarios.ts', import.meta.url));

/** Run one scenario of fixtures/ended-journal-scenarios.ts in a child killed with SIGKILL; what it was told. */
export async function runKilled(dir: string, scenario: string): Promise<Record<string, unknown>> {
  const child = spawn(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', SCENARIOS, dir, scenario],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_c, s) => resolve(s)),
  );
  if (signal !== 'SIGKILL') throw new Error(`the writer was not killed (${signal}): ${err}`);
  const told = path.join(dir, 'told.json');
  return existsSync(told) ? (JSON.parse(readFileSync(told, 'utf8')) as Record<string, unknown>) : {};
}

export const journalOf = (dir: string) =>
  readEndedJournal(path.join(dir, `jobs.sqlite${ENDED_JOURNAL_SUFFIX}`));

/** A short job as an exec makes it: created running, its caller waiting for its end, its id minted. */
export const shortJob = (id: string, extra: Partial<NewJob> = {}): NewJob =>
  newJob({ command_id: id, state: 'running', awaits_end: true, minted_id: true, ...extra });

/**
 * Make every COMMIT that inserts a job fail (a deferred foreign key, checked at COMMIT: a stand-in for
 * a disk that is full for a while) until the returned function is called.
 */
export function failJobCommits(db: BetterSqlite3.Database): () => void {
  db.exec(`CREATE TABLE switch (on_ INTEGER); INSERT INTO switch VALUES (1);
    CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE trap (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER trap_jobs AFTER INSERT ON jobs WHEN (SELECT on_ FROM switch) = 1
      BEGIN INSERT INTO trap VALUES (42); END;`);
  return () => db.exec('UPDATE switch SET on_ = 0');
}
