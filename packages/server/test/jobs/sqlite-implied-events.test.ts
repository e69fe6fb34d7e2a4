import type BetterSqlite3 from 'better-sqlite3';
import { OpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type JobEvent, type SqliteJobStore } from '../../src/jobs/index.js';
import { sqliteTestKit, fileAtSchema } from './helpers.js';
import { newJob } from './job-store-suite.js';

/**
 * A job written as one row with its end (its create deferred: awaits_end, no key, no batch) keeps its
 * two state events implied by the row (schema 4, `implied_events`) instead of two stored rows. What a
 * reader gets must be exactly what was emitted live, and nothing else may change.
 */
const { dataDir, open, raw } = sqliteTestKit();

const waiting = (id: string) =>
  newJob({ command_id: id, state: 'running', awaits_end: true, params: { frames: '1-10' } });

/** Every event the store emits, in order. */
function recordEvents(store: SqliteJobStore): JobEvent[] {
  const seen: JobEvent[] = [];
  store.subscribe((event) => seen.push(structuredClone(event)));
  return seen;
}

const storedEventRows = (db: BetterSqlite3.Database, id: string): number =>
  db.prepare('SELECT COUNT(*) FROM job_events WHERE job_id = ?').pluck().get(id) as number;
const impliedFlag = (db: BetterSqlite3.Database, id: string): unknown =>
  db.prepare('SELECT implied_events FROM jobs WHERE command_id = ?').pluck().get(id);

describe('SqliteJobStore: the state events of a one-row job', () => {
  it('are not stored, and read back exactly as emitted, for each way a job ends', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const live = recordEvents(store);
    const error = new OpenClawError('NODE_TIMEOUT', 'no answer in 30 s', { details: { timeout_ms: 30_000 } });
    const ends = [
      ['ok', () => store.transition('ok', 'succeeded', { result: { frames: 10 } })],
      ['failed', () => store.transition('failed', 'failed', { error })],
      ['cancelled', () => store.transition('cancelled', 'cancelled')],
      ['timed', () => store.transition('timed', 'timed_out', { error })],
    ] as const;
    for (const [id, end] of ends) {
      await store.create(waiting(id));
      await end();
    }
    // Their ends went to the ended journal; a read writes their rows into the file.
    await store.get('ok');
    const db = raw(dir);
    for (const [id] of ends) {
      expect(storedEventRows(db, id)).toBe(0);
      expect(impliedFlag(db, id)).toBe(1);
      const emitted = live.filter((event) => event.job_id === id);
      expect(emitted.map((event) => event.seq)).toEqual([1, 2]);
      expect(await store.listEvents(id)).toEqual(emitted);
    }
    expect((await store.listEvents('failed'))[1]!.data).toEqual({
      state: 'failed',
      error: { code: 'NODE_TIMEOUT', message: 'no answer in 30 s', details: { timeout_ms: 30_000 } },
    });
    // The record says the same as before: no trace of the column.
    expect(await store.get('ok')).not.toHaveProperty('implied_events');
  });

  it('page like stored events: after a seq, and up to a limit', async () => {
    const store = await open({ dataDir: await dataDir() });
    await store.create(waiting('paged'));
    await store.transition('paged', 'succeeded', { result: null });
    const [running, ended] = await store.listEvents('paged');
    expect(running).toMatchObject({ seq: 1, data: { state: 'running' } });
    expect(ended).toMatchObject({ seq: 2, data: { state: 'succeeded' } });
    expect(await store.listEvents('paged', 1)).toEqual([ended]);
    expect(await store.listEvents('paged', 2)).toEqual([]);
    expect(await store.listEvents('paged', 0, 1)).toEqual([running]);
  });

  it('are stored with an event appended after the end, so that trimming keeps the last ones', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const live = recordEvents(store);
    await store.create(waiting('late'));
    await store.transition('late', 'succeeded');
    await store.appendEvent('late', 'log', { lines: ['audit: result read'] });
    expect(storedEventRows(raw(dir), 'late')).toBe(3);
    expect(impliedFlag(raw(dir), 'late')).toBe(0);
    expect(await store.listEvents('late')).toEqual(live);
    expect((await store.listEvents('late', 1)).map((event) => event.seq)).toEqual([2, 3]);
    expect((await store.listEvents('late', 2)).map((event) => event.seq)).toEqual([3]);
  });

  it('are stored as before for a job with an event in between, one not waited for, and one kept to one event', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const live = recordEvents(store);
    await store.create(waiting('progress'));
    await store.updateProgress('progress', { progress: 0.5, message: 'half' });
    await store.transition('progress', 'succeeded');
    await store.create(newJob({ command_id: 'not-waited', state: 'running' }));
    await store.transition('not-waited', 'succeeded');
    const db = raw(dir);
    expect(storedEventRows(db, 'progress')).toBe(3);
    expect(storedEventRows(db, 'not-waited')).toBe(2);
    for (const id of ['progress', 'not-waited']) {
      expect(impliedFlag(db, id)).toBe(0);
      expect(await store.listEvents(id)).toEqual(live.filter((event) => event.job_id === id));
    }

    const one = await open({ dataDir: await dataDir(), maxEventsPerJob: 1 });
    await one.create(waiting('one'));
    await one.transition('one', 'succeeded');
    expect((await one.listEvents('one')).map((event) => event.seq)).toEqual([2]);
  });

  it('survive a restart, and a version 3 file keeps reading its stored events after the migration', async () => {
    const dir = await dataDir();
    const db = fileAtSchema(dir, 3);
    db.prepare(
      `INSERT INTO jobs (command_id, node_id, action, params, state, created_ms, started_ms, finished_ms,
       log_tail, event_seq) VALUES ('old', 'ws-1', 'rv.ping', '{}', 'succeeded', 1000, 1000, 2000, '[]', 2)`,
    ).run();
    const event = db.prepare(
      'INSERT INTO job_events (job_id, seq, type, data, at_ms) VALUES (?, ?, ?, ?, ?)',
    );
    event.run('old', 1, 'state', '{"state":"running"}', 1000);
    event.run('old', 2, 'state', '{"state":"succeeded"}', 2000);
    db.close();

    const store = await open({ dataDir: dir });
    expect(raw(dir).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(impliedFlag(raw(dir), 'old')).toBe(0);
    expect((await store.listEvents('old')).map((e) => [e.seq, e.at])).toEqual([
      [1, '1970-01-01T00:00:01.000Z'],
      [2, '1970-01-01T00:00:02.000Z'],
    ]);
    const live = recordEvents(store);
    await store.create(waiting('new'));
    await store.transition('new', 'failed', { error: new OpenClawError('NODE_DISCONNECTED', 'gone') });
    await store.close();

    const again = await open({ dataDir: dir });
    expect(await again.listEvents('new')).toEqual(live);
  });
});
