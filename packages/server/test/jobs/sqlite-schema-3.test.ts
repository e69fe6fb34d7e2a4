// Schema 3 leaves succeeded jobs out of jobs_by_state and purges by age through jobs_by_created:
// every list (each subset of states, with and without a node filter, page by page), expiry, the
// interrupted-jobs query and retention must still answer as the memory store does.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MemoryJobStore, type JobState, type JobStore } from '../../src/jobs/index.js';
import { JOB_STATES } from '../../src/jobs/job-model.js';
import { T0, sqliteTestKit, testClock, type TestClock, fileAtSchema } from './helpers.js';
import { newJob } from './job-store-suite.js';

const { dataDir, open } = sqliteTestKit();

async function populate(store: JobStore, clock: TestClock, clockStep: boolean): Promise<void> {
  const ends: [JobState[], number][] = [
    [['running', 'succeeded'], 0],
    [['running', 'failed'], 0],
    [['running', 'timed_out'], 0],
    [['running', 'cancelled'], 0],
    [['running', 'lost'], 0],
    [['expired'], 0],
    [['cancelled'], 0],
    [['running'], 0],
    [[], 0],
    [[], 1], // queued with expiry
    [['running', 'succeeded'], -5_000], // finished before it was created (clock step)
  ];
  if (!clockStep) ends.pop();
  for (let i = 0; i < 66; i++) {
    const [path, step] = ends[i % ends.length]!;
    const id = `j-${String(i).padStart(3, '0')}`;
    // Pairs of jobs share created_ms: ties go by command_id.
    clock.set(T0 + Math.floor(i / 2) * 1_000);
    await store.create(
      newJob({
        command_id: id,
        node_id: i % 3 === 0 ? 'ws-a' : 'ws-b',
        state: 'queued',
        ...(step === 1 ? { expires_at: T0 + 500_000 + i } : {}),
      }),
    );
    clock.advance(step + 10);
    for (const to of path)
      await store.transition(id, to, to === 'failed' ? { error: { code: 'X', message: 'x' } } : {});
  }
}

async function everyPage(store: JobStore, filter: Parameters<JobStore['list']>[0]): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.list(filter, { limit: 4, ...(cursor ? { cursor } : {}) });
    ids.push(...page.jobs.map((j) => `${j.command_id}:${j.state}`));
    if (!page.next_cursor) return ids;
    cursor = page.next_cursor;
  }
}

describe('SqliteJobStore schema 3 (the partial state index, retention by the created index)', () => {
  it('lists, interrupted, expiry and purge agree with the memory store', async () => {
    const clockA = testClock();
    const clockB = testClock();
    const memory = new MemoryJobStore({ now: clockA.now });
    const sqlite = await open({ dataDir: await dataDir(), now: clockB.now });
    // Without jobs that finished before they were created: SQLite purges those later (docs/jobs.md, Retention).
    await populate(memory, clockA, false);
    await populate(sqlite, clockB, false);
    const subsets: JobState[][] = [];
    for (let mask = 1; mask < 1 << JOB_STATES.length; mask++)
      subsets.push(JOB_STATES.filter((_, i) => mask & (1 << i)));
    for (const state of subsets) {
      expect(await everyPage(sqlite, { state })).toEqual(await everyPage(memory, { state }));
      expect(await everyPage(sqlite, { state, node_id: 'ws-a' })).toEqual(
        await everyPage(memory, { state, node_id: 'ws-a' }),
      );
    }
    expect(await everyPage(sqlite, {})).toEqual(await everyPage(memory, {}));
    const moved = async (s: JobStore) => (await s.expireQueued(T0 + 600_000)).map((j) => j.command_id);
    expect(await moved(sqlite)).toEqual(await moved(memory));
    const lost = async (s: JobStore) => (await s.markInterruptedAsLost()).map((j) => j.command_id);
    expect(await lost(sqlite)).toEqual(await lost(memory));
    for (const age of [1_000_000, 20_000, 10_000, 0]) {
      clockA.set(T0 + 40_000);
      clockB.set(T0 + 40_000);
      expect(await sqlite.purge({ maxAgeMs: age })).toBe(await memory.purge({ maxAgeMs: age }));
      expect(await everyPage(sqlite, {})).toEqual(await everyPage(memory, {}));
    }
  });

  it('migrates a version 1 file holding jobs in every state', async () => {
    const d = await dataDir();
    const db = fileAtSchema(d, 1);
    const insert = db.prepare(
      `INSERT INTO jobs (command_id, node_id, action, params, state, created_ms, finished_ms, log_tail, event_seq)
       VALUES (?, 'ws-1', 'rv.ping', '{}', ?, ?, ?, '[]', 0)`,
    );
    JOB_STATES.forEach((state, i) =>
      insert.run(`old-${state}`, state, T0 + i, ['queued', 'running'].includes(state) ? null : T0 + i + 1),
    );
    db.close();
    const store = await open({ dataDir: d, now: () => T0 + 100_000 });
    expect(store.lostAtOpen.map((j) => j.command_id)).toEqual(['old-queued', 'old-running']);
    for (const state of JOB_STATES) {
      const expected = ['queued', 'running'].includes(state) ? [] : [`old-${state}`];
      if (state === 'lost') expected.unshift('old-running', 'old-queued');
      const got = (await store.list({ state: [state] })).jobs.map((j) => j.command_id);
      expect(got.sort()).toEqual(expected.sort());
    }
    expect(await store.purge({ maxAgeMs: 50_000 })).toBe(JOB_STATES.length - 2);
    const raw = new BetterSqlite3(store.file, { readonly: true });
    const indexes = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all() as {
      name: string;
      sql: string | null;
    }[];
    raw.close();
    expect(indexes.map((i) => i.name)).not.toContain('jobs_by_finished');
    expect(indexes.find((i) => i.name === 'jobs_by_state')?.sql).toMatch(/WHERE state <> 'succeeded'/);
  });
});
