import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { EndedJournal, ENDED_JOURNAL_SUFFIX } from '../../src/jobs/store/sqlite/ended-journal.js';
import { CREATE_COMMIT_DELAY_MS } from '../../src/jobs/store/sqlite/sqlite-job-store.js';
import { journalOf, shortJob } from './ended-journal-kit.js';
import { sqliteTestKit, warnLog } from './helpers.js';
import { newJob } from './job-store-suite.js';

const { dataDir, open, raw } = sqliteTestKit();

const short = shortJob;
const stateOf = (db: BetterSqlite3.Database, id: string) =>
  db.prepare('SELECT state FROM jobs WHERE command_id = ?').pluck().get(id);

describe('SqliteJobStore: the ended journal', () => {
  it('writes what it can of a journal a crash cut short, and says what it could not', async () => {
    const dir = await dataDir();
    // A real journal line, from a store that ends a job and is then looked at before its COMMIT.
    const first = await open({ dataDir: dir });
    await first.create(short('kept'));
    await first.transition('kept', 'succeeded', { result: { frames: 3 } });
    const [kept] = journalOf(dir).records;
    await first.get('kept'); // committed: a record of it left in a journal is one the file already has
    await first.close();
    const file = `${dir}/jobs.sqlite${ENDED_JOURNAL_SUFFIX}`;
    const line = (record: Record<string, unknown>) => `\n${JSON.stringify(record)}`;
    writeFileSync(file, line(kept!) + line({ ...kept, command_id: 'again' }));
    appendFileSync(file, line({ ...kept, command_id: 'odd', no_such_column: 1 }));
    appendFileSync(file, line({ ...kept, command_id: 'bad-state', state: 'exploded' }));
    appendFileSync(file, line({ ...kept, command_id: 'nested', result: { not: 'sql' } }));
    appendFileSync(file, '\n[1, 2]');
    appendFileSync(file, line({ ...kept, command_id: 'cut' }).slice(0, 60));

    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    expect(store.recoveredAtOpen).toEqual({ written: 1, present: 1, refused: 5 });
    expect(warned.messages()).toEqual([
      'some lines of the ended journal a crash left could not be written to the job history',
    ]);
    expect(await store.get('again')).toMatchObject({ state: 'succeeded', result: { frames: 3 } });
    for (const id of ['odd', 'bad-state', 'nested', 'cut']) expect(await store.get(id)).toBeUndefined();
    expect(journalOf(dir)).toEqual({ records: [], unreadable: 0 });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is emptied by the COMMIT that writes its rows, whatever brings it: the delay, a read, a purge, close', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const db = raw(dir);
    const end = async (id: string) => {
      await store.create(short(id));
      await store.transition(id, 'succeeded');
      expect(journalOf(dir).records.map((r) => r.command_id)).toContain(id);
      expect(stateOf(db, id)).toBeUndefined();
    };
    await end('by-delay');
    await vi.waitFor(() => expect(stateOf(db, 'by-delay')).toBe('succeeded'), {
      timeout: 5_000,
      interval: CREATE_COMMIT_DELAY_MS,
    });
    expect(journalOf(dir).records).toEqual([]);
    await end('by-read');
    await store.list({});
    expect([stateOf(db, 'by-read'), journalOf(dir).records]).toEqual(['succeeded', []]);
    await end('by-purge');
    // Counted and purged as rows: no journal line is left to bring them back at the next open.
    expect(await store.purge({ maxCount: 0 })).toBe(3);
    expect([stateOf(db, 'by-purge'), journalOf(dir).records]).toEqual([undefined, []]);
    await end('by-close');
    await store.close();
    expect([stateOf(db, 'by-close'), journalOf(dir).records]).toEqual(['succeeded', []]);
  });

  it('writes an end before the next write to its job, and takes no id it holds twice', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    await store.create(short('audited'));
    await store.transition('audited', 'succeeded');
    // An event added after the end (the audit trail does so) finds the row, implied events and all.
    await store.appendEvent('audited', 'state', { state: 'succeeded' });
    expect((await store.listEvents('audited')).map((e) => `${e.seq} ${e.type}`)).toEqual([
      '1 state',
      '2 state',
      '3 state',
    ]);
    await store.create(short('twice'));
    await store.transition('twice', 'succeeded');
    for (const again of [short('twice'), newJob({ command_id: 'twice', state: 'running' })]) {
      await expect(store.create(again)).rejects.toMatchObject({
        code: 'INVALID_BODY',
        details: { field: 'command_id' },
      });
    }
    await expect(store.transition('twice', 'failed')).rejects.toMatchObject({ code: 'JOB_STATE_CONFLICT' });
    expect(await store.get('twice')).toMatchObject({ state: 'succeeded' });
  });

  it('falls back to a COMMIT before the answer when the journal cannot be written, and says so once', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    const db = raw(dir);
    const append = vi.spyOn(EndedJournal.prototype, 'append').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      for (const id of ['full-1', 'full-2']) {
        await store.create(short(id));
        await store.transition(id, 'succeeded');
        expect(stateOf(db, id)).toBe('succeeded');
      }
    } finally {
      append.mockRestore();
    }
    expect(warned.messages()).toEqual([
      'cannot append to the ended journal: the ends of jobs are committed to the history before their answer',
    ]);
    await store.create(short('fine'));
    await store.transition('fine', 'succeeded');
    expect(journalOf(dir).records.map((r) => r.command_id)).toEqual(['fine']);
  });

  it('keeps an end the file refuses for another try, then drops it with a warning; reads go on', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    const db = raw(dir);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON jobs WHEN new.command_id = 'refused'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;`);
    await store.create(short('refused'));
    await store.transition('refused', 'succeeded');
    await store.create(short('fine'));
    await store.transition('fine', 'succeeded');
    // Each read tries it again; the other end is written all the same.
    for (let i = 0; i < 3; i++) expect(await store.get('fine')).toMatchObject({ state: 'succeeded' });
    expect(await store.get('refused')).toBeUndefined();
    expect(warned.messages()).toEqual(['could not record the end of a job']);
    // Dropped: the journal no longer holds it either.
    await vi.waitFor(() => expect(journalOf(dir).records).toEqual([]), { timeout: 5_000, interval: 20 });
  });
});
