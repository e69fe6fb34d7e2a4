import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecAck, JobAcceptedEvent, JobProgressEvent, JobStartedEvent } from '@openclaw-node/core';
import {
  createExecutor,
  createPathGuard,
  createRegistrySource,
  loadPluginCatalog,
  type Executor,
} from '../../src/index.js';
import { isAlive, jobsPlugin } from '@openclaw-node/test-support/agent';

interface Harness {
  executor: Executor;
  accepted: JobAcceptedEvent[];
  started: JobStartedEvent[];
  progress: JobProgressEvent[];
  run(jobId: string, action: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<ExecAck>;
}

const executors: Executor[] = [];
afterEach(() => {
  executors.splice(0).forEach((e) => e.cancelAll('test over'));
});

async function harness(limits: { maxConcurrentJobs: number; maxQueuedJobs: number }): Promise<Harness> {
  const logger = pino({ level: 'silent' });
  const catalog = await loadPluginCatalog({
    entries: ['jobs'],
    sources: [createRegistrySource({ jobs: jobsPlugin })],
    platform: 'linux',
    logger,
  });
  const accepted: JobAcceptedEvent[] = [];
  const started: JobStartedEvent[] = [];
  const progress: JobProgressEvent[] = [];
  const executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [], platform: 'linux' }),
    pluginConfig: {},
    platform: 'linux',
    logger,
    limits,
    emitProgress: (e) => progress.push(e),
    emitAccepted: (e) => {
      accepted.push(e);
      // A job that runs at once says so in job:accepted (started: true); no job:started follows.
      if (e.started === true) started.push({ jobId: e.jobId });
    },
    emitStarted: (e) => started.push(e),
    abortGraceMs: 50,
    reportIntervalMs: 10,
  });
  executors.push(executor);
  return {
    executor,
    accepted,
    started,
    progress,
    run: (jobId, action, params = {}, timeoutMs = 10_000) =>
      executor.execute({ jobId, action, params, timeoutMs }),
  };
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function errorOf(ack: ExecAck) {
  if (ack.ok) throw new Error(`expected an error, got ${JSON.stringify(ack.result)}`);
  return ack.error;
}

describe('executor: concurrency limit and queue', () => {
  it('runs up to the limit, queues past it, and refuses with NODE_BUSY once the queue is full', async () => {
    const h = await harness({ maxConcurrentJobs: 2, maxQueuedJobs: 1 });
    const a = h.run('a', 'jobs.wait');
    const b = h.run('b', 'jobs.wait');
    const c = h.run('c', 'jobs.wait', { ms: 0 });
    await until(() => h.accepted.length === 3, 'three accepted');
    expect(h.accepted).toEqual([
      { jobId: 'a', queued: false, started: true },
      { jobId: 'b', queued: false, started: true },
      { jobId: 'c', queued: true },
    ]);
    expect(h.started.map((s) => s.jobId)).toEqual(['a', 'b']);
    expect([h.executor.running, h.executor.queued]).toEqual([2, 1]);

    const busy = errorOf(await h.run('d', 'jobs.wait', { ms: 0 }));
    expect(busy).toMatchObject({
      code: 'NODE_BUSY',
      details: { running: 2, queued: 1, max_concurrent_jobs: 2, max_queued_jobs: 1 },
    });
    expect(busy.message).toContain('max_queued_jobs: 1');
    expect(h.accepted.map((e) => e.jobId)).not.toContain('d');
    expect(h.started.map((e) => e.jobId)).not.toContain('d');

    h.executor.cancel('a');
    expect(errorOf(await a).code).toBe('CANCELLED');
    expect(await c).toMatchObject({ ok: true, result: { tag: null } });
    expect(h.started.map((s) => s.jobId)).toEqual(['a', 'b', 'c']);
    h.executor.cancel('b');
    await b;
    expect([h.executor.running, h.executor.queued]).toEqual([0, 0]);
  });

  it('refuses at once with NODE_BUSY when nothing may wait (max_queued_jobs: 0)', async () => {
    const h = await harness({ maxConcurrentJobs: 1, maxQueuedJobs: 0 });
    const first = h.run('first', 'jobs.wait');
    await until(() => h.started.length === 1, 'the first to start');
    expect(errorOf(await h.run('second', 'jobs.wait', { ms: 0 })).code).toBe('NODE_BUSY');
    h.executor.cancel('first');
    await first;
  });

  it('drops a queued job on cancel, acking CANCELLED without ever starting it', async () => {
    const h = await harness({ maxConcurrentJobs: 1, maxQueuedJobs: 4 });
    const running = h.run('running', 'jobs.wait');
    const waiting = h.run('waiting', 'jobs.wait', { ms: 0 });
    await until(() => h.accepted.length === 2, 'both accepted');
    expect(h.executor.cancel('waiting', 'the job was cancelled by the server')).toBe(true);
    expect(errorOf(await waiting)).toEqual({
      code: 'CANCELLED',
      message: 'the job was cancelled by the server',
    });
    expect(h.executor.queued).toBe(0);
    h.executor.cancel('running');
    await running;
    expect(h.started.map((s) => s.jobId)).toEqual(['running']);
  });

  it('starts the deadline when a queued job starts, not when it arrives', async () => {
    const h = await harness({ maxConcurrentJobs: 1, maxQueuedJobs: 4 });
    const blocker = h.run('blocker', 'jobs.wait', { ms: 300 });
    const patient = h.run('patient', 'jobs.wait', { ms: 50 }, 200);
    expect(await blocker).toMatchObject({ ok: true });
    expect(await patient).toMatchObject({ ok: true, result: { tag: null } });
  });

  it('still refuses a bad request before queueing it', async () => {
    const h = await harness({ maxConcurrentJobs: 1, maxQueuedJobs: 4 });
    const blocker = h.run('blocker', 'jobs.wait');
    await until(() => h.started.length === 1, 'start');
    expect(errorOf(await h.run('bad', 'jobs.wait', { ms: 'soon' })).code).toBe('INVALID_PARAMS');
    expect(errorOf(await h.run('unknown', 'jobs.nope')).code).toBe('ACTION_NOT_FOUND');
    expect(h.accepted.map((e) => e.jobId)).toEqual(['blocker']);
    h.executor.cancel('blocker');
    await blocker;
  });

  it('cancels queued and running jobs alike with cancelAll', async () => {
    const h = await harness({ maxConcurrentJobs: 1, maxQueuedJobs: 4 });
    const acks = [h.run('r', 'jobs.wait'), h.run('q1', 'jobs.wait'), h.run('q2', 'jobs.wait')];
    await until(() => h.accepted.length === 3, 'accepted');
    h.executor.cancelAll('the agent is stopping');
    for (const ack of await Promise.all(acks)) expect(errorOf(ack).code).toBe('CANCELLED');
    expect(h.started.map((s) => s.jobId)).toEqual(['r']);
  });
});

describe('executor: exclusive actions in the queue', () => {
  it('runs one exclusive render at a time while other jobs pass the waiting one', async () => {
    const h = await harness({ maxConcurrentJobs: 3, maxQueuedJobs: 8 });
    const first = h.run('render-1', 'jobs.render', { ms: 300, tag: 'r1' });
    const second = h.run('render-2', 'jobs.render', { ms: 10, tag: 'r2' });
    await until(() => h.accepted.length === 2, 'both renders accepted');
    const other = h.run('other', 'jobs.wait', { ms: 10, tag: 'o' });
    expect(h.accepted).toEqual([
      { jobId: 'render-1', queued: false, started: true },
      { jobId: 'render-2', queued: true },
    ]);
    const otherAck = await other;
    expect(otherAck.ok).toBe(true);
    expect(h.started.map((s) => s.jobId)).toEqual(['render-1', 'other']);
    const [r1, r2] = await Promise.all([first, second]);
    if (!r1.ok || !r2.ok) throw new Error('expected both renders to succeed');
    const a = r1.result as { finished: number };
    const b = r2.result as { started: number };
    expect(b.started).toBeGreaterThanOrEqual(a.finished);
    expect(h.started.map((s) => s.jobId)).toEqual(['render-1', 'other', 'render-2']);
  });

  it('lets the next render start after a cancelled one whose handler stopped', async () => {
    const h = await harness({ maxConcurrentJobs: 2, maxQueuedJobs: 8 });
    const first = h.run('render-1', 'jobs.render');
    const second = h.run('render-2', 'jobs.render', { ms: 0 });
    await until(() => h.accepted.length === 2, 'accepted');
    h.executor.cancel('render-1');
    expect(errorOf(await first).code).toBe('CANCELLED');
    expect(await second).toMatchObject({ ok: true });
  });
});

describe('executor: killing the process tree', () => {
  async function pidsOf(h: Harness, jobId: string): Promise<[number, number]> {
    let pids: [number, number] | undefined;
    await until(() => {
      const line = h.progress
        .filter((e) => e.jobId === jobId && e.stream === 'stdout')
        .map((e) => e.chunk)
        .join('');
      const match = /pids (\d+) (\d+)/.exec(line);
      if (match) pids = [Number(match[1]), Number(match[2])];
      return pids !== undefined;
    }, 'the pids');
    return pids!;
  }

  it.skipIf(process.platform === 'win32')('kills the child and its child on cancel', async () => {
    const h = await harness({ maxConcurrentJobs: 2, maxQueuedJobs: 2 });
    const ack = h.run('tree', 'jobs.tree');
    const [child, grandchild] = await pidsOf(h, 'tree');
    expect(isAlive(child) && isAlive(grandchild)).toBe(true);
    h.executor.cancel('tree');
    expect(errorOf(await ack).code).toBe('CANCELLED');
    await until(() => !isAlive(child) && !isAlive(grandchild), 'both processes to be gone');
  });

  it.skipIf(process.platform === 'win32')('kills the whole tree at the timeout', async () => {
    const h = await harness({ maxConcurrentJobs: 2, maxQueuedJobs: 2 });
    const ack = h.run('tree-timeout', 'jobs.tree', {}, 1500);
    const [child, grandchild] = await pidsOf(h, 'tree-timeout');
    expect(errorOf(await ack).code).toBe('TIMEOUT');
    await until(() => !isAlive(child) && !isAlive(grandchild), 'both processes to be gone');
  });
});
