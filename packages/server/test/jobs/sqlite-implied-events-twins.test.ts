// Schema 4 (implied_events): a job written as one row with its end has its two
// state events rebuilt by listEvents. Each test compares that job against a twin whose events are
// stored as before (same clock, same calls, created without awaits_end so its create is not deferred)
// and against the memory store: any difference in what a reader gets is a regression.
import type BetterSqlite3 from 'better-sqlite3';
import { OpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  MemoryJobStore,
  SCHEMA_VERSION,
  type JobEvent,
  type JobState,
  type JobStore,
  type SqliteJobStore,
} from '../../src/jobs/index.js';
import { T0, sqliteTestKit, testClock, type TestClock, fileAtSchema } from './helpers.js';
import { newJob } from './job-store-suite.js';

const { dataDir, open, raw } = sqliteTestKit();

const IMPLIED = 'implied';
const TWIN = 'twin';

function recordEvents(store: JobStore): JobEvent[] {
  const seen: JobEvent[] = [];
  store.subscribe((event) => seen.push(structuredClone(event)));
  return seen;
}

const impliedFlag = (db: BetterSqlite3.Database, id: string): unknown =>
  db.prepare('SELECT implied_events FROM jobs WHERE command_id = ?').pluck().get(id);

/** The events of `id` as a reader sees them, with the job id blanked so twins compare. */
async function pages(store: JobStore, id: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const after of [-1, 0, 0.5, 1, 1.5, 2, 3, 4, 5, Number.NaN]) {
    for (const limit of [undefined, -1, 0, 1, 1.5, 2, 3, 4, Number.POSITIVE_INFINITY]) {
      const events = await store.listEvents(id, after, limit);
      out[`after=${after} limit=${String(limit)}`] = events.map((e) => ({ ...e, job_id: '*' }));
    }
  }
  return out;
}

interface Scenario {
  end: JobState;
  patch?: Parameters<JobStore['transition']>[2];
  /** Events appended after the end (appendEvent), each at a later time. */
  after: number;
}

/** Run the scenario on job `id`: created running at T0+step, ended, then `after` appended events. */
async function run(store: JobStore, clock: TestClock, id: string, s: Scenario, awaitsEnd: boolean) {
  clock.set(T0 + 1_000);
  await store.create(newJob({ command_id: id, state: 'running', awaits_end: awaitsEnd }));
  clock.set(T0 + 3_000);
  await store.transition(id, s.end, s.patch ?? {});
  for (let i = 0; i < s.after; i++) {
    clock.set(T0 + 5_000 + i * 1_000);
    await store.appendEvent(id, 'log', { lines: [`after end ${i}`] });
  }
}

const error = {
  code: 'NODE_TIMEOUT',
  message: 'pas de réponse — 30 s ✓',
  details: { nested: { a: [1, null] } },
};

describe('SqliteJobStore: implied state events read as stored ones would be', () => {
  it('with maxEventsPerJob 2 and one event appended after the end, keeps the last two', async () => {
    const clock = testClock();
    const store = await open({ dataDir: await dataDir(), maxEventsPerJob: 2, now: clock.now });
    const memClock = testClock();
    const mem = new MemoryJobStore({ maxEventsPerJob: 2, now: memClock.now });
    const s: Scenario = { end: 'succeeded', after: 1 };
    await run(store, clock, IMPLIED, s, true);
    await run(store, clock, TWIN, s, false);
    await run(mem, memClock, IMPLIED, s, true);
    // The twin and the memory store keep seqs 2 and 3 (only the last maxEventsPerJob are kept).
    expect((await store.listEvents(TWIN)).map((e) => e.seq)).toEqual([2, 3]);
    expect((await mem.listEvents(IMPLIED)).map((e) => e.seq)).toEqual([2, 3]);
    // The one-row job still answers seq 1 and hides seq 3 from a reader starting at 0.
    expect((await store.listEvents(IMPLIED)).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('matches its stored twin and the memory store for every page, end, maxEventsPerJob and later events', async () => {
    const scenarios: Scenario[] = [];
    for (const after of [0, 1, 2, 3]) {
      scenarios.push({ end: 'succeeded', patch: { result: { frames: 10 } }, after });
      scenarios.push({ end: 'failed', patch: { error }, after });
      scenarios.push({ end: 'cancelled', after });
      scenarios.push({
        end: 'cancelled',
        patch: { error: { code: 'CANCELLED', message: 'by ops', details: {} } },
        after,
      });
      scenarios.push({ end: 'timed_out', after });
      scenarios.push({ end: 'lost', after });
    }
    const mismatches: string[] = [];
    for (const max of [1, 2, 3, 4, undefined]) {
      for (const s of scenarios) {
        const clock = testClock();
        const dir = await dataDir();
        const store = await open({ dataDir: dir, now: clock.now, ...(max ? { maxEventsPerJob: max } : {}) });
        await run(store, clock, IMPLIED, s, true);
        await run(store, clock, TWIN, s, false);
        const memClock = testClock();
        const mem = new MemoryJobStore({ now: memClock.now, ...(max ? { maxEventsPerJob: max } : {}) });
        await run(mem, memClock, IMPLIED, s, true);
        const label = `max=${String(max)} end=${s.end} after=${s.after}`;
        const { command_id: _a, ...record } = (await store.get(IMPLIED))!;
        const { command_id: _b, ...twinRecord } = (await store.get(TWIN))!;
        if (JSON.stringify(record) !== JSON.stringify(twinRecord)) mismatches.push(`${label} record`);
        const got = await pages(store, IMPLIED);
        if (JSON.stringify(got) !== JSON.stringify(await pages(store, TWIN)))
          mismatches.push(`${label} vs twin`);
        if (JSON.stringify(got) !== JSON.stringify(await pages(mem, IMPLIED)))
          mismatches.push(`${label} vs memory`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('trimming after a restart with a smaller maxEventsPerJob drops the old implied events too', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const first = await open({ dataDir: dir, now: clock.now });
    const s: Scenario = { end: 'succeeded', after: 0 };
    await run(first, clock, IMPLIED, s, true);
    await run(first, clock, TWIN, s, false);
    await first.close();
    const again = await open({ dataDir: dir, now: clock.now, maxEventsPerJob: 1 });
    for (const id of [IMPLIED, TWIN]) await again.appendEvent(id, 'log', { lines: ['audit'] });
    expect((await again.listEvents(TWIN)).map((e) => e.seq)).toEqual([3]);
    expect((await again.listEvents(IMPLIED)).map((e) => e.seq)).toEqual([3]);
  });

  it('events trimmed under maxEventsPerJob 2 stay trimmed after a restart with the default', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const first = await open({ dataDir: dir, now: clock.now, maxEventsPerJob: 2 });
    const s: Scenario = { end: 'failed', patch: { error }, after: 1 };
    await run(first, clock, IMPLIED, s, true);
    await run(first, clock, TWIN, s, false);
    await first.close();
    const again = await open({ dataDir: dir, now: clock.now });
    expect((await again.listEvents(TWIN)).map((e) => e.seq)).toEqual([2, 3]);
    // A fix that trims the rebuilt events by the current maxEventsPerJob at read time would still
    // answer [1, 2, 3] here: the trim has to happen when the event is appended.
    expect((await again.listEvents(IMPLIED)).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('an error whose details are not plain JSON reads back as the stored twin does', async () => {
    const clock = testClock();
    const store = await open({ dataDir: await dataDir(), now: clock.now });
    const live = recordEvents(store);
    const odd = new OpenClawError('NODE_TIMEOUT', 'x', {
      details: { when: new Date(0), gone: undefined, nan: Number.NaN, deep: { list: [undefined, 1] } },
    });
    await run(store, clock, IMPLIED, { end: 'failed', patch: { error: odd }, after: 0 }, true);
    await run(store, clock, TWIN, { end: 'failed', patch: { error: odd }, after: 0 }, false);
    const strip = (events: JobEvent[]) => events.map((e) => ({ ...e, job_id: '*' }));
    expect(strip(await store.listEvents(IMPLIED))).toStrictEqual(strip(await store.listEvents(TWIN)));
    // Pre-existing (not from b980401): live listeners got the Date/undefined/NaN as given, a reader
    // gets their JSON; the same for stored events.
    const liveEnd = live.find((e) => e.job_id === IMPLIED && e.seq === 2)!;
    expect(
      (liveEnd.data as unknown as { error: { details: { when: unknown } } }).error.details.when,
    ).toBeInstanceOf(Date);
  });

  it('read back deep-equal (strictly) to the live events, with a non-ASCII nested error, across a restart', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const store = await open({ dataDir: dir, now: clock.now });
    const live = recordEvents(store);
    await run(store, clock, IMPLIED, { end: 'failed', patch: { error }, after: 0 }, true);
    const oc = new OpenClawError('NODE_DISCONNECTED', 'ノードが切断 \u{1F600}', {
      details: { path: 'a\\"b', n: 0 },
    });
    clock.set(T0 + 10_000);
    await store.create(newJob({ command_id: 'oc', state: 'running', awaits_end: true }));
    clock.set(T0 + 9_000); // the clock went backwards: the end is before the creation
    await store.transition('oc', 'failed', { error: oc });
    await store.get('oc'); // writes the journaled ends into the file
    expect(impliedFlag(raw(dir), IMPLIED)).toBe(1);
    expect(impliedFlag(raw(dir), 'oc')).toBe(1);
    for (const id of [IMPLIED, 'oc']) {
      expect(await store.listEvents(id)).toStrictEqual(live.filter((e) => e.job_id === id));
    }
    expect((await store.listEvents('oc'))[1]!.at).toBe(new Date(T0 + 9_000).toISOString());
    await store.close();
    const again = await open({ dataDir: dir, now: clock.now });
    for (const id of [IMPLIED, 'oc']) {
      expect(await again.listEvents(id)).toStrictEqual(live.filter((e) => e.job_id === id));
    }
    const reader = await open({ dataDir: dir, markLostOnOpen: false });
    expect(await reader.listEvents('oc', 1)).toStrictEqual(live.filter((e) => e.job_id === 'oc').slice(1));
    // Reopening the version-4 file neither migrates nor touches the rows.
    expect(raw(dir).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.lostAtOpen).toEqual([]);
  });

  it('a create read (materialized) before its end, or closed before its end, stores its events as before', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const store = await open({ dataDir: dir, now: clock.now });
    const live = recordEvents(store);
    await store.create(newJob({ command_id: 'read', state: 'running', awaits_end: true }));
    expect((await store.listEvents('read')).map((e) => e.seq)).toEqual([1]);
    clock.advance(5);
    await store.transition('read', 'succeeded');
    expect(impliedFlag(raw(dir), 'read')).toBe(0);
    expect(await store.listEvents('read')).toEqual(live.filter((e) => e.job_id === 'read'));

    await store.create(newJob({ command_id: 'closed', state: 'running', awaits_end: true }));
    await store.close();
    const liveBefore = live.filter((e) => e.job_id === 'closed');
    expect(liveBefore.map((e) => e.seq)).toEqual([1]);
    const again = await open({ dataDir: dir, now: clock.now });
    expect(impliedFlag(raw(dir), 'closed')).toBe(0);
    expect(again.lostAtOpen.map((j) => [j.command_id, j.state])).toEqual([['closed', 'lost']]);
    expect(again.lostAtOpen[0]).not.toHaveProperty('implied_events');
    const events = await again.listEvents('closed');
    expect(events.slice(0, 1)).toEqual(liveBefore);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('purge by count and by age removes one-row jobs with no events left behind', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const store = await open({ dataDir: dir, now: clock.now });
    await run(store, clock, IMPLIED, { end: 'succeeded', after: 1 }, true);
    await store.create(newJob({ command_id: 'pending', state: 'running', awaits_end: true }));
    // purge while the create is still deferred: it is written first and counted, not purged (running)
    expect(await store.purge({ maxCount: 1 })).toBe(1);
    expect(await store.get(IMPLIED)).toBeUndefined();
    expect(await store.listEvents(IMPLIED)).toEqual([]);
    const db = raw(dir);
    expect(db.prepare('SELECT COUNT(*) FROM job_events WHERE job_id = ?').pluck().get(IMPLIED)).toBe(0);
    clock.advance(1);
    await store.transition('pending', 'succeeded');
    clock.advance(100_000);
    expect(await store.purge({ maxAgeMs: 1_000 })).toBe(1);
    expect(await store.listEvents('pending')).toEqual([]);
  });
});

describe('SqliteJobStore: migration to schema 4', () => {
  it('a schema-1 file with rows of every state migrates; rows get 0, records and lost jobs carry no column', async () => {
    const dir = await dataDir();
    const db = fileAtSchema(dir, 1);
    const insert = db.prepare(
      `INSERT INTO jobs (command_id, node_id, action, params, state, created_ms, started_ms, finished_ms,
       error, log_tail, event_seq) VALUES (?, 'ws-1', 'rv.ping', '{}', ?, ?, ?, ?, ?, '[]', ?)`,
    );
    const event = db.prepare(
      'INSERT INTO job_events (job_id, seq, type, data, at_ms) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('done', 'failed', T0, T0, T0 + 5, '{"code":"X","message":"x"}', 2);
    event.run('done', 1, 'state', '{"state":"running"}', T0);
    event.run('done', 2, 'state', '{"state":"failed","error":{"code":"X","message":"x"}}', T0 + 5);
    insert.run('run', 'running', T0, T0, null, null, 1);
    event.run('run', 1, 'state', '{"state":"running"}', T0);
    db.close();

    const clock = testClock(T0 + 10);
    const store = await open({ dataDir: dir, now: clock.now });
    const check = raw(dir);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(check.prepare('SELECT command_id, implied_events FROM jobs ORDER BY command_id').all()).toEqual([
      { command_id: 'done', implied_events: 0 },
      { command_id: 'run', implied_events: 0 },
    ]);
    expect(() => check.prepare("UPDATE jobs SET implied_events = 2 WHERE command_id = 'done'").run()).toThrow(
      /CHECK/,
    );
    expect(() =>
      check.prepare("UPDATE jobs SET implied_events = NULL WHERE command_id = 'done'").run(),
    ).toThrow(/NOT NULL/);
    expect(store.lostAtOpen.map((j) => j.command_id)).toEqual(['run']);
    for (const record of [...store.lostAtOpen, await store.get('done'), ...(await store.list()).jobs]) {
      expect(record).not.toHaveProperty('implied_events');
    }
    expect((await store.listEvents('done')).map((e) => e.data)).toEqual([
      { state: 'running' },
      { state: 'failed', error: { code: 'X', message: 'x' } },
    ]);
    expect((await store.listEvents('run')).map((e) => e.seq)).toEqual([1, 2]);
  });
});

/** Keep the store type referenced (helpers give SqliteJobStore). */
export type _Store = SqliteJobStore;
