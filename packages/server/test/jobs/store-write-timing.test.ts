import { describe, expect, it } from 'vitest';
import { MemoryJobStore, SqliteJobStore, type JobStore } from '../../src/jobs/index.js';
import { JobStoreHandle } from '../../src/jobs/store/job-store-handle.js';
import type { StoreWriteOp } from '../../src/jobs/store/write-timing.js';
import { caught, tempDir } from './helpers.js';
import { newJob } from './job-store-suite.js';

type Observed = { op: StoreWriteOp; seconds: number }[];

/** Every kind of write once, and one that fails; what the observer heard, in order. */
async function writeEveryKind(store: JobStore, observed: Observed): Promise<Observed> {
  const { job } = await store.create(newJob({ command_id: 'w-1' }));
  await store.create(newJob({ command_id: 'w-2', expires_at: 1 }));
  await store.transition(job.command_id, 'running');
  await store.updateProgress(job.command_id, { progress: 0.5 });
  await store.appendLog(job.command_id, ['line']);
  await store.appendEvent(job.command_id, 'progress', { progress: 0.6, message: null });
  await store.expireQueued(Date.now());
  await store.markInterruptedAsLost();
  await store.purge({ maxCount: 1000 });
  const failure = await caught(() => store.transition('no-such-job', 'running'));
  expect(failure.code).toBe('JOB_NOT_FOUND');
  return observed;
}

const EVERY_KIND: StoreWriteOp[] = [
  'create',
  'create',
  'transition',
  'updateProgress',
  'appendLog',
  'appendEvent',
  'expireQueued',
  'markInterruptedAsLost',
  'purge',
  'transition',
];

function observer(): { observed: Observed; observe: (op: StoreWriteOp, seconds: number) => void } {
  const observed: Observed = [];
  return { observed, observe: (op, seconds) => observed.push({ op, seconds }) };
}

function expectEveryKind(observed: Observed): void {
  expect(observed.map((o) => o.op)).toEqual(EVERY_KIND);
  for (const { seconds } of observed) {
    expect(Number.isFinite(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(0);
  }
}

describe('job store write timing (observeWrites)', () => {
  it('the memory store times every write, failures too, and stops when told', async () => {
    const store = new MemoryJobStore();
    const { observed, observe } = observer();
    store.observeWrites(observe);
    expectEveryKind(await writeEveryKind(store, observed));
    store.observeWrites(undefined);
    await store.create(newJob());
    expect(observed).toHaveLength(EVERY_KIND.length);
  });

  it('the SQLite store times every write up to its group commit', async () => {
    const { dir, remove } = await tempDir();
    const store = await SqliteJobStore.open({ dataDir: dir });
    try {
      const { observed, observe } = observer();
      store.observeWrites(observe);
      const created = store.create(newJob({ command_id: 'c-1' }));
      // Not yet: the write lands with the COMMIT at the end of this event-loop turn.
      expect(observed).toEqual([]);
      await created;
      expect(observed.map((o) => o.op)).toEqual(['create']);
      observed.length = 0;
      expectEveryKind(await writeEveryKind(store, observed));
    } finally {
      await store.close();
      await remove();
    }
  });

  it('the server handle passes the observer to a store that times itself (each write heard once)', async () => {
    const handle = new JobStoreHandle();
    const { observed, observe } = observer();
    handle.observeWrites(observe);
    const store = new MemoryJobStore();
    handle.attach(store);
    expectEveryKind(await writeEveryKind(handle, observed));
    handle.detach();
    await store.create(newJob());
    expect(observed).toHaveLength(EVERY_KIND.length);
  });

  it('the server handle times the calls of a store without observeWrites', async () => {
    const memory = new MemoryJobStore();
    // A store written elsewhere (createServer's jobStore option) that cannot time its writes.
    const plain: JobStore = {
      create: (...a) => memory.create(...a),
      get: (...a) => memory.get(...a),
      transition: (...a) => memory.transition(...a),
      updateProgress: (...a) => memory.updateProgress(...a),
      appendLog: (...a) => memory.appendLog(...a),
      appendEvent: (...a) => memory.appendEvent(...a),
      listEvents: (...a) => memory.listEvents(...a),
      list: (...a) => memory.list(...a),
      findByIdempotencyKey: (...a) => memory.findByIdempotencyKey(...a),
      queuedForNode: (...a) => memory.queuedForNode(...a),
      expireQueued: (...a) => memory.expireQueued(...a),
      markInterruptedAsLost: () => memory.markInterruptedAsLost(),
      purge: (...a) => memory.purge(...a),
      subscribe: (...a) => memory.subscribe(...a),
      close: () => memory.close(),
    };
    expect('observeWrites' in plain).toBe(false);
    const handle = new JobStoreHandle();
    const { observed, observe } = observer();
    handle.attach(plain);
    handle.observeWrites(observe);
    expectEveryKind(await writeEveryKind(handle, observed));
    handle.observeWrites(undefined);
    await handle.create(newJob());
    expect(observed).toHaveLength(EVERY_KIND.length);
  });
});
