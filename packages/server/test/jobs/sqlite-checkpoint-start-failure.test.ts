// `new Worker()` throws at once when the OS refuses a thread (ERR_WORKER_INIT_FAILED: a pids cgroup,
// RLIMIT_NPROC, memory). The store starts its checkpoint thread after a COMMIT, from setImmediate
// or from a read: the failure must be a warning and SQLite's own checkpoints, not a dead server.
import type * as WorkerThreads from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>();
  class FailingWorker {
    constructor() {
      throw Object.assign(new Error('Worker initialization failure: EAGAIN'), {
        code: 'ERR_WORKER_INIT_FAILED',
      });
    }
  }
  return { ...original, Worker: FailingWorker };
});

import { SqliteJobStore } from '../../src/jobs/index.js';
import { tempDir } from './helpers.js';
import { newJob } from './job-store-suite.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(warnings: unknown[]): Promise<SqliteJobStore> {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  const store = await SqliteJobStore.open({
    dataDir: dir,
    logger: { warn: (...args: unknown[]) => warnings.push(args) } as never,
  });
  cleanups.push(() => store.close());
  return store;
}

describe('SqliteJobStore when the OS refuses the checkpoint thread', () => {
  it('does not make reads fail (commit from #read)', async () => {
    const warnings: unknown[] = [];
    const store = await openStore(warnings);
    // An exec's create: resolved at once, committed by the next read.
    await store.create(newJob({ command_id: 'a', state: 'running', awaits_end: true }));
    await expect(store.get('a')).resolves.toMatchObject({ state: 'running' });
    expect(warnings.length).toBe(1);
  });

  it('does not throw out of the setImmediate COMMIT (would crash the server)', async () => {
    const warnings: unknown[] = [];
    const store = await openStore(warnings);
    const uncaught: unknown[] = [];
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const record = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', record);
    try {
      await store.create(newJob({ command_id: 'b' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', record);
      for (const listener of saved) process.on('uncaughtException', listener);
    }
    expect(uncaught.map((e) => (e as Error).message)).toEqual([]);
  });
});
