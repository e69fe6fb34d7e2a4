import { copyFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { JOBS_FILE_NAME, SqliteJobStore } from '../../src/jobs/index.js';
import { Worker } from 'node:worker_threads';
import { WalCheckpointer, resolveDriverPath } from '../../src/jobs/store/sqlite/wal-checkpointer.js';
import { caught, sqliteTestKit } from './helpers.js';
import { newJob } from './job-store-suite.js';

const { defer, dataDir, open } = sqliteTestKit();

/**
 * Short jobs as an exec makes them: created running, then ended; each its own COMMIT (its end goes to
 * the ended journal, and the read after it writes its row). Without awaitsEnd, two COMMITs each.
 */
async function runJobs(
  store: SqliteJobStore,
  count: number,
  prefix = 'job',
  awaitsEnd = true,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    await store.create(newJob({ command_id: id, state: 'running', awaits_end: awaitsEnd }));
    await store.transition(id, 'succeeded', { result: { i } });
    await store.get(id);
  }
}

/** Jobs in the database file itself, read from a copy of it without its WAL. */
async function jobsInDatabaseFile(dir: string): Promise<number> {
  const copy = await dataDir();
  copyFileSync(path.join(dir, JOBS_FILE_NAME), path.join(copy, JOBS_FILE_NAME));
  const db = new BetterSqlite3(path.join(copy, JOBS_FILE_NAME));
  try {
    // Not even the schema when nothing was copied yet.
    const tables = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'jobs'").get() as {
      n: number;
    };
    if (tables.n === 0) return 0;
    return (db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('SqliteJobStore checkpoint thread', () => {
  it('copies committed pages into the database file from its own thread, soon after the writes', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    // ~10 WAL pages a job: far below SQLite's own 1,000-page checkpoint, which would leave them in the WAL.
    await runJobs(store, 40);
    const thread = store.checkpointer!;
    expect(thread.running).toBe(true);
    await vi.waitFor(
      () => {
        expect(thread.last.frames).toBeGreaterThan(0);
        expect(thread.last.copied).toBe(thread.last.frames);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(await jobsInDatabaseFile(dir)).toBe(40);
  });

  it('is not started by a store that does not own the file, nor when turned off', async () => {
    const dir = await dataDir();
    const owner = await open({ dataDir: dir, checkpointThread: false });
    await runJobs(owner, 3);
    expect(owner.checkpointer).toBeUndefined();
    const other = await open({ dataDir: dir, markLostOnOpen: false });
    await runJobs(other, 3, 'other');
    expect(other.checkpointer).toBeUndefined();
    expect(await jobsInDatabaseFile(dir)).toBe(0);
  });

  it('rewinds the WAL under writes that never pause', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir, checkpointThread: { rewindPages: 200, minIntervalMs: 5 } });
    await runJobs(store, 1, 'first');
    const thread = store.checkpointer!;
    await vi.waitFor(() => expect(thread.checkpoints).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
    // Jobs nobody waits for: a create and an end committed each, back to back.
    await runJobs(store, 400, 'job', false);
    expect(thread.rewinds).toBeGreaterThan(0);
    // ~4,000 pages written: the WAL was reused from its start, it did not grow to hold them all.
    const frame = 4096 + 24;
    expect(statSync(path.join(dir, `${JOBS_FILE_NAME}-wal`)).size).toBeLessThan(2_000 * frame);
  });

  it('stops with the store: its connection closes first, then the WAL is gone and writes are refused', async () => {
    const dir = await dataDir();
    const store = await SqliteJobStore.open({ dataDir: dir });
    await runJobs(store, 5);
    const thread = store.checkpointer!;
    await store.close();
    expect(thread.running).toBe(false);
    expect(existsSync(path.join(dir, `${JOBS_FILE_NAME}-wal`))).toBe(false);
    expect((await caught(() => store.create(newJob({ command_id: 'late' })))).code).toBe('JOB_STORE_FAILED');
    expect(await jobsInDatabaseFile(dir)).toBe(5);
  });

  it('reports a thread that cannot start or open the file once, and stops', async () => {
    const dir = await dataDir();
    for (const options of [
      { file: path.join(dir, JOBS_FILE_NAME), driverPath: path.join(dir, 'no-such-driver.js') },
      { file: path.join(dir, 'missing.sqlite') },
    ]) {
      const failures: string[] = [];
      const thread = new WalCheckpointer({ ...options, onFailure: (message) => failures.push(message) });
      thread.nudge();
      await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 10_000, interval: 20 });
      expect(thread.running).toBe(false);
      thread.nudge();
      await thread.close();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/no-such-driver|unable to open|does not exist|missing/i);
    }
  });

  it('closes twice, concurrently, and right after the first COMMIT (thread still booting)', async () => {
    for (const mode of ['sequential', 'concurrent', 'booting'] as const) {
      const d = await dataDir();
      const store = await SqliteJobStore.open({ dataDir: d });
      await store.create(newJob({ command_id: 'a' }));
      if (mode !== 'booting') {
        await vi.waitFor(() => expect(store.checkpointer?.checkpoints).toBeGreaterThan(0), {
          timeout: 10_000,
        });
      }
      if (mode === 'concurrent') await Promise.all([store.close(), store.close()]);
      else {
        await store.close();
        await store.close();
      }
      expect(store.checkpointer?.running).toBe(false);
      expect(existsSync(path.join(d, `${JOBS_FILE_NAME}-wal`))).toBe(false);
      expect(existsSync(path.join(d, 'server.lock'))).toBe(false);
      const again = await SqliteJobStore.open({ dataDir: d, checkpointThread: false, markLostOnOpen: false });
      expect((await again.get('a'))?.state).toBe('queued');
      await again.close();
    }
  });
});

const WORKER = new URL('../../src/jobs/store/sqlite/wal-checkpoint-worker.js', import.meta.url);

// The real worker module, with Date.now() moved back by `skew[0]` seconds (a clock step).
const WRAPPER = `
const { workerData } = require('node:worker_threads');
const skew = new Int32Array(workerData.skew);
const realNow = Date.now;
Date.now = () => realNow() - Atomics.load(skew, 0) * 1000;
import(workerData.url);
`;

function reply(worker: Worker, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      reject(new Error(`no checkpoint within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown): void => {
      clearTimeout(timer);
      resolve(message);
    };
    worker.once('message', onMessage);
  });
}

describe('the checkpoint thread and a wall clock stepped back', () => {
  it('keeps checkpointing after the clock steps back an hour', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'jobs.sqlite');
    const db = new BetterSqlite3(file);
    defer(() => {
      db.close();
    });
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    insert.run('a');

    const skew = new SharedArrayBuffer(4);
    const worker = new Worker(WRAPPER, {
      eval: true,
      workerData: { file, driverPath: resolveDriverPath(), minIntervalMs: 20, skew, url: WORKER.href },
    });
    defer(async () => {
      await worker.terminate();
    });

    worker.postMessage('checkpoint');
    expect(await reply(worker, 10_000)).toMatchObject({ type: 'done' });

    Atomics.store(new Int32Array(skew), 0, 3600); // the clock steps back one hour
    insert.run('b');
    worker.postMessage('checkpoint');
    expect(await reply(worker, 3_000)).toMatchObject({ type: 'done' });
  });
});
