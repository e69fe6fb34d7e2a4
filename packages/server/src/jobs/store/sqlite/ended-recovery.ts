import type { Database, Statement } from 'better-sqlite3';
import type { EndedRecord } from './ended-journal.js';

/** What writing a journal's records into the history file did. */
export interface RecoveredEnds {
  /** Rows written. */
  written: number;
  /** Records whose row the file already held (committed before the journal was emptied), or an older line of the same job. */
  present: number;
  /** Records naming a column the history does not have, holding a value that is not SQL's, or refused by its constraints. */
  refused: number;
}

/**
 * Write the rows of ended jobs a crashed process journaled (EndedJournal) into the history, in one
 * transaction. A row already there is left as it is; the columns come from each record and must be
 * the history's (a journal written by an older server names fewer).
 */
export function writeRecoveredEnds(db: Database, records: readonly EndedRecord[]): RecoveredEnds {
  const result: RecoveredEnds = { written: 0, present: 0, refused: 0 };
  if (records.length === 0) return result;
  const columns = new Set((db.pragma('table_info(jobs)') as { name: string }[]).map((c) => c.name));
  const inserts = new Map<string, Statement<unknown[]>>();
  const insertFor = (keys: string[]): Statement<unknown[]> => {
    const signature = keys.join(',');
    let insert = inserts.get(signature);
    if (!insert) {
      // The names were checked against the table's own columns just before.
      insert = db.prepare(
        `INSERT INTO jobs (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
      );
      inserts.set(signature, insert);
    }
    return insert;
  };
  const exists = db.prepare<[string], number>('SELECT 1 FROM jobs WHERE command_id = ?').pluck();
  // One job's last line wins (a journal holds one per job, but an older server's could hold more).
  const last = new Map<unknown, EndedRecord>();
  for (const record of records) {
    last.delete(record.command_id);
    last.set(record.command_id, record);
  }
  result.present = records.length - last.size;
  db.transaction(() => {
    for (const record of last.values()) {
      const keys = Object.keys(record);
      const values = keys.map((key) => record[key]);
      if (!keys.every((key) => columns.has(key)) || !values.every(isSqlValue)) {
        result.refused++;
        continue;
      }
      if (exists.get(record.command_id as string) !== undefined) {
        result.present++;
        continue;
      }
      try {
        insertFor(keys).run(values);
        result.written++;
      } catch {
        // A constraint of the table (a state it does not know, a missing column): not this history's row.
        result.refused++;
      }
    }
  }).immediate();
  return result;
}

function isSqlValue(value: unknown): boolean {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
