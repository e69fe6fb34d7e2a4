import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisJobStore, type JobEvent, type RedisJobStoreOptions } from '../../src/jobs/index.js';
import { endedRecordOf } from '../../src/jobs/store/redis/redis-ended-rows.js';
import { RUNNER_FIELD } from '../../src/jobs/store/redis/redis-keys.js';
import { skipWithoutRedis, startRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { waitFor } from '@openclaw-node/test-support/server';
import { caught, type StoreFactory } from './helpers.js';
import { describeJobStoreQueries } from './job-store-query-suite.js';
import { describeJobStoreRecords, newJob } from './job-store-suite.js';
import { sentScript } from './redis-resend.js';

let redis: RedisServer;
let admin: Redis;
beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  await admin?.quit();
  await redis?.stop();
});

// One redis-server for the file; a fresh key prefix per store keeps the tests apart.
const factory: StoreFactory = async (options) => {
  const store = await RedisJobStore.open({ ...options, url: redis.url, keyPrefix: `t-${randomUUID()}:` });
  return { store, cleanup: () => store.close() };
};

describe.skipIf(skipWithoutRedis)('RedisJobStore: the store contract', () => {
  describeJobStoreRecords('RedisJobStore', factory);
  describeJobStoreQueries('RedisJobStore', factory, { sharedStore: true });
});

const opened: RedisJobStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** Two stores on one prefix: two server processes sharing one Redis. */
async function pair(options: Partial<RedisJobStoreOptions> = {}): Promise<[RedisJobStore, RedisJobStore]> {
  const keyPrefix = `pair-${randomUUID()}:`;
  const open = async (): Promise<RedisJobStore> => {
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix, ...options });
    opened.push(store);
    return store;
  };
  return [await open(), await open()];
}

function record(store: RedisJobStore): JobEvent[] {
  const seen: JobEvent[] = [];
  store.subscribe((event) => seen.push(event));
  return seen;
}

describe.skipIf(skipWithoutRedis)('RedisJobStore: several processes on one Redis', () => {
  it('delivers the events written by either store to both, once each, in seq order per job', async () => {
    const [a, b] = await pair();
    const seenA = record(a);
    const seenB = record(b);
    const { job } = await a.create(newJob({ state: 'running' }));
    const id = job.command_id;
    await b.updateProgress(id, { progress: 0.5, message: 'half' });
    await a.appendLog(id, ['from a']);
    await b.appendLog(id, ['from b']);
    await Promise.all([
      a.appendLog(id, ['x']),
      b.appendLog(id, ['y']),
      a.updateProgress(id, { progress: 0.9 }),
    ]);
    await b.transition(id, 'succeeded', { result: { ok: true } });
    const seqs = [1, 2, 3, 4, 5, 6, 7, 8];
    await waitFor(() => (seenA.length >= seqs.length ? true : undefined), 'events on a');
    await waitFor(() => (seenB.length >= seqs.length ? true : undefined), 'events on b');
    expect(seenA.map((e) => e.seq)).toEqual(seqs);
    expect(seenB).toEqual(seenA);
    expect(seenA.at(-1)).toMatchObject({ type: 'state', data: { state: 'succeeded' } });
    expect(await a.listEvents(id)).toEqual(seenA);
    expect((await b.get(id))?.log_tail.sort()).toEqual(['from a', 'from b', 'x', 'y']);
  });

  it('has the event in local subscribers when the write resolves', async () => {
    const [a] = await pair();
    const seen = record(a);
    const { job } = await a.create(newJob({ state: 'running' }));
    expect(seen.map((e) => e.seq)).toEqual([1]);
    await a.appendLog(job.command_id, ['hello']);
    expect(seen.map((e) => e.type)).toEqual(['state', 'log']);
  });

  it("delivers a write's own events in the writer's async context, others' outside it", async () => {
    const [a, b] = await pair();
    const request = new AsyncLocalStorage<string>();
    const seen: [number, string | undefined][] = [];
    a.subscribe((event) => seen.push([event.seq, request.getStore()]));
    const { job } = await request.run('request-1', () => a.create(newJob({ state: 'running' })));
    await request.run('request-2', () => a.appendLog(job.command_id, ['x']));
    await request.run('elsewhere', () => b.appendLog(job.command_id, ['y']));
    await waitFor(() => (seen.length === 3 ? true : undefined), 'three events');
    expect(seen).toEqual([
      [1, 'request-1'],
      [2, 'request-2'],
      [3, undefined],
    ]);
  });

  it('lets exactly one of two stores claim a queued job', async () => {
    const [a, b] = await pair();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await a.create(newJob())).job.command_id);
    for (const id of ids) {
      const outcomes = await Promise.allSettled([a.transition(id, 'running'), b.transition(id, 'running')]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]).toMatchObject({ reason: { code: 'JOB_STATE_CONFLICT', details: { from: 'running' } } });
      expect((await a.listEvents(id)).map((e) => e.seq)).toEqual([1, 2]);
    }
  });

  it('lets two different ends race: the first wins, the second is refused', async () => {
    const [a, b] = await pair();
    const { job } = await a.create(newJob({ state: 'running' }));
    const outcomes = await Promise.allSettled([
      a.transition(job.command_id, 'succeeded', { result: 1 }),
      b.transition(job.command_id, 'cancelled'),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const final = (await b.get(job.command_id))!;
    expect(['succeeded', 'cancelled']).toContain(final.state);
    expect((await a.listEvents(job.command_id)).filter((e) => e.type === 'state')).toHaveLength(2);
  });

  it("brings an ended job's row to the other stores with its terminal event, unless it is too big", async () => {
    const [a, b] = await pair();
    const seenB = record(b);
    const { job: small } = await a.create(newJob({ state: 'running' }));
    await a.appendLog(small.command_id, ['one line']);
    const ended = await a.transition(small.command_id, 'succeeded', { result: { frames: 24 } });
    const { job: big } = await a.create(newJob({ state: 'running' }));
    await a.transition(big.command_id, 'succeeded', { result: 'x'.repeat(70 * 1024) });
    await waitFor(() => (seenB.length === 5 ? true : undefined), 'five events on b');
    const terminal = (id: string): JobEvent =>
      seenB.find((e) => e.job_id === id && e.type === 'state' && e.data.state === 'succeeded')!;
    expect(endedRecordOf(terminal(small.command_id))).toEqual(ended);
    expect(endedRecordOf(terminal(small.command_id))).toEqual(await b.get(small.command_id));
    expect(endedRecordOf(terminal(big.command_id))).toBeUndefined();
    // Only the ending event carries a row.
    expect(seenB.filter((e) => endedRecordOf(e) !== undefined)).toHaveLength(1);
  });

  it('ends a job reading it once, and publishes its row and terminal event in one message', async () => {
    const keyPrefix = `count-${randomUUID()}:`;
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix });
    opened.push(store);
    const seen = record(store);
    // Loads the script into Redis, so the call below is one EVALSHA.
    const { job: first } = await store.create(newJob({ state: 'running' }));
    await store.transition(first.command_id, 'failed');
    const { job } = await store.create(newJob({ state: 'running' }));
    // Written by the cluster layer: the process running the job. The ending write leaves it.
    await admin.hset(`${keyPrefix}job:${job.command_id}`, RUNNER_FIELD, 'proc-a');
    const monitor = await admin.monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.includes(keyPrefix))) commands.push(args[0]!.toUpperCase());
    });
    try {
      const ended = await store.transition(job.command_id, 'succeeded', { result: { frames: 24 } });
      await waitFor(() => (commands.includes('PUBLISH') ? true : undefined), 'the publish');
      expect(commands).toEqual([
        'EVALSHA',
        'HGETALL',
        // Every index in one set: out of `running`, into `succeeded`, the ended and the finished ones.
        'ZREM',
        'ZADD',
        // The job's two state events stay in its hash (implied): no list for a job that only ran.
        'HSET',
        'XADD',
        'PUBLISH',
      ]);
      const terminal = seen.find((e) => e.job_id === job.command_id && e.seq === 2)!;
      expect(endedRecordOf(terminal)).toEqual(ended);
      expect(ended).toEqual(await store.get(job.command_id));
      expect(await admin.hget(`${keyPrefix}job:${job.command_id}`, RUNNER_FIELD)).toBe('proc-a');
    } finally {
      monitor.disconnect();
    }
  });

  it('creates one job when two stores race with the same Idempotency-Key', async () => {
    const [a, b] = await pair();
    for (let round = 0; round < 10; round++) {
      const key = `key-${round}`;
      const [first, second] = await Promise.all([
        a.create(newJob({ idempotency_key: key, requested_by: 'ann' })),
        b.create(newJob({ idempotency_key: key, requested_by: 'ann' })),
      ]);
      expect([first.created, second.created].sort()).toEqual([false, true]);
      expect(first.job).toEqual(second.job);
    }
    expect((await a.list({})).jobs).toHaveLength(10);
  });

  it('keeps fan-out siblings together under one key, also after the newest is purged', async () => {
    const [a] = await pair();
    const base = { idempotency_key: 'fan', requested_by: 'ann', batch_id: 'b1', state: 'running' } as const;
    const first = await a.create(newJob({ ...base, node_id: 'ws-1' }));
    const newest = await a.create(newJob({ ...base, node_id: 'ws-2' }));
    expect(newest.created).toBe(true);
    expect(await a.findByIdempotencyKey('ann', 'fan', 0)).toEqual(newest.job);
    await a.transition(newest.job.command_id, 'succeeded');
    await new Promise((r) => setTimeout(r, 5));
    expect(await a.purge({ maxAgeMs: 1 })).toBe(1);
    expect(await a.findByIdempotencyKey('ann', 'fan', 0)).toEqual(first.job);
    const replay = await a.create(newJob({ ...base, batch_id: 'b2' }));
    expect(replay).toEqual({ job: first.job, created: false });
  });

  it('expires and purges more jobs than one script call handles, oldest first', async () => {
    const [a] = await pair();
    const soon = Date.now() - 1;
    for (let i = 0; i < 450; i++) {
      await a.create(newJob({ command_id: `q-${String(i).padStart(3, '0')}`, expires_at: soon + 100_000 }));
    }
    const expired = await a.expireQueued(soon + 100_000);
    expect(expired.map((j) => j.command_id)).toEqual(
      Array.from({ length: 450 }, (_, i) => `q-${String(i).padStart(3, '0')}`),
    );
    expect(await a.purge({ maxCount: 0 })).toBe(450);
    expect((await a.list({})).jobs).toEqual([]);
  });

  it('records the runner given to create for a running job only (scale-out: the process sending it)', async () => {
    const keyPrefix = `runner-${randomUUID()}:`;
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix });
    opened.push(store);
    await store.create(newJob({ command_id: 'sent-here', state: 'running', runner: 'proc-a' }));
    await store.create(newJob({ command_id: 'queued', expires_at: Date.now() + 60_000, runner: 'proc-a' }));
    await store.create(newJob({ command_id: 'no-runner', state: 'running' }));
    expect(await admin.hget(`${keyPrefix}job:sent-here`, '_r')).toBe('proc-a');
    expect(await admin.hget(`${keyPrefix}job:queued`, '_r')).toBeNull();
    expect(await admin.hget(`${keyPrefix}job:no-runner`, '_r')).toBeNull();
    // Not a field of the job as the store reports it.
    expect(await store.get('sent-here')).not.toHaveProperty('runner');
    expect(await store.get('sent-here')).not.toHaveProperty('_r');
  });

  it('leaves no key behind once every job is purged', async () => {
    const keyPrefix = `keys-${randomUUID()}:`;
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix });
    opened.push(store);
    await store.create(newJob({ command_id: 'k1', node_id: 'n', batch_id: 'b', idempotency_key: 'i' }));
    await store.create(newJob({ command_id: 'k2', expires_at: Date.now() + 60_000, requested_by: 'x' }));
    await store.create(newJob({ command_id: 'k3', state: 'running', batch_id: 'b', idempotency_key: 'i' }));
    await store.appendLog('k3', ['line']);
    for (const id of ['k1', 'k2']) await store.transition(id, 'cancelled');
    await store.transition('k3', 'failed');
    expect((await admin.keys(`${keyPrefix}*`)).length).toBeGreaterThan(10);
    expect(await store.purge({ maxCount: 0 })).toBe(3);
    expect(await admin.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}events:log`]);
  });

  it('applies a write that ioredis sends again after a lost answer only once', async () => {
    const keyPrefix = `resend-${randomUUID()}:`;
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix });
    opened.push(store);
    const { job } = await store.create(newJob({ state: 'running' }));
    const id = job.command_id;
    // What ioredis resends after a reconnect: the same script with the same arguments (and write id).
    const scripts = store.client as unknown as Record<string, (...args: unknown[]) => Promise<unknown[]>>;
    const common = [keyPrefix, 1000, 10_000];
    const at = new Date().toISOString();
    const log = [...common, 'w-1', id, at, 200, JSON.stringify({ lines: ['once'] }), 'once'];
    expect((await scripts.ocjLog!(...log))[0]).toBe('ok');
    expect((await scripts.ocjLog!(...log))[0]).toBe('replay');
    const end = [...common, 'w-2', id, 'succeeded', Date.now(), at, '{"state":"succeeded"}'];
    expect((await scripts.ocjTransition!(...end))[0]).toBe('ok');
    expect((await scripts.ocjTransition!(...end))[0]).toBe('replay');
    expect((await store.get(id))?.log_tail).toEqual(['once']);
    expect((await store.listEvents(id)).map((e) => e.type)).toEqual(['state', 'log', 'state']);
  });

  it('takes a resent create of a minted id for its own, before and after the job ended, and leaves the index as it was', async () => {
    const keyPrefix = `resend-create-${randomUUID()}:`;
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix });
    opened.push(store);
    // The create of a minted id reads nothing: its index entries are the check.
    const create = await sentScriptOnce(store, () =>
      store.create({ ...newJob({ state: 'running', node_id: 'ws-1' }), minted_id: true }),
    );
    const id = create.result.job.command_id;
    const index = async (): Promise<string[]> =>
      (await admin.zrange(`${keyPrefix}jobs:index`, 0, -1)).filter((m) => m.endsWith(id));
    const whileRunning = await index();
    expect(whileRunning.length).toBeGreaterThan(3);
    expect(await create.resend()).toBe('replay');
    expect(await index()).toEqual(whileRunning);
    expect((await store.listEvents(id)).map((e) => e.type)).toEqual(['state']);

    await store.transition(id, 'succeeded');
    const ended = await index();
    expect(ended).not.toEqual(whileRunning);
    expect(await create.resend()).toBe('replay');
    // The entry of its first state (running) is not back: the job lists as it ended.
    expect(await index()).toEqual(ended);
    expect((await store.list({ state: 'running' })).jobs).toEqual([]);
    expect((await store.list({ state: 'succeeded' })).jobs.map((j) => j.command_id)).toEqual([id]);
    expect((await store.get(id))?.state).toBe('succeeded');
    expect((await store.listEvents(id)).map((e) => e.type)).toEqual(['state', 'state']);
  });

  it('refuses a second create of an id a caller chose, and takes a resend of the same create', async () => {
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix: `dup-${randomUUID()}:` });
    opened.push(store);
    const create = await sentScriptOnce(store, () =>
      store.create(newJob({ command_id: 'chosen-1', state: 'running' })),
    );
    expect(await create.resend()).toBe('replay');
    const error = await caught(() =>
      store.create(newJob({ command_id: 'chosen-1', state: 'running', node_id: 'other' })),
    );
    expect(error).toMatchObject({ code: 'INVALID_BODY', details: { field: 'command_id' } });
    expect((await store.list({ node_id: 'other' })).jobs).toEqual([]);
  });
});

/** sentScript, for a call that sends exactly one script. */
async function sentScriptOnce<T>(
  store: RedisJobStore,
  write: () => Promise<T>,
): Promise<{ result: T; resend: () => Promise<string> }> {
  const { result, resend } = await sentScript(store, admin, write);
  expect(resend).toBeDefined();
  return { result, resend: resend! };
}

/** The store's connections Redis knows of, by name. */
async function storeConnections(): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list
    .split('\n')
    .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith('openclaw-jobs'))
    .sort();
}

describe.skipIf(skipWithoutRedis)('RedisJobStore: open and close', () => {
  it('quits both of its connections on close and fails every call after it', async () => {
    const before = await storeConnections();
    const store = await RedisJobStore.open({ url: redis.url, keyPrefix: `close-${randomUUID()}:` });
    expect(await storeConnections()).toEqual([...before, 'openclaw-jobs', 'openclaw-jobs-events'].sort());
    const { job } = await store.create(newJob());
    await store.close();
    await store.close();
    await waitFor(
      async () => ((await storeConnections()).length === before.length ? true : undefined),
      'quit',
    );
    for (const call of [
      () => store.transition(job.command_id, 'running'),
      () => store.list({}),
      () => store.listEvents(job.command_id),
      () => store.purge({ maxCount: 1 }),
      () => store.markInterruptedAsLost(),
    ]) {
      expect(await caught(call)).toMatchObject({
        code: 'JOB_STORE_FAILED',
        message: 'The job store is closed',
      });
    }
  });

  it('uses a client it is given and leaves it open, quitting only its events connection', async () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    const before = await storeConnections();
    const keyPrefix = `given-${randomUUID()}:`;
    const store = await RedisJobStore.open({ client, keyPrefix });
    expect(store.client).toBe(client);
    expect(store.address).toBe(`redis://127.0.0.1:${redis.port}`);
    await store.create(newJob({ command_id: 'given' }));
    await store.close();
    expect(await client.exists(`${keyPrefix}job:given`)).toBe(1);
    expect(await client.ping()).toBe('PONG');
    await waitFor(
      async () => ((await storeConnections()).length === before.length ? true : undefined),
      'quit',
    );
    await client.quit();
  });

  it('refuses a client with its own keyPrefix, and both url and client', async () => {
    const client = new Redis(redis.url, { lazyConnect: true, keyPrefix: 'x:' });
    expect(await caught(() => RedisJobStore.open({ client }))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'redis' },
    });
    expect(await caught(() => RedisJobStore.open({ client, url: redis.url }))).toMatchObject({
      details: { field: 'redis' },
    });
    expect(await caught(() => RedisJobStore.open({}))).toMatchObject({ details: { field: 'redis' } });
    client.disconnect();
  });

  it.each([
    [{ keyPrefix: 'x'.repeat(65) }, 'keyPrefix'],
    [{ keyPrefix: 'has space' }, 'keyPrefix'],
    [{ offlineTimeoutMs: 0 }, 'offlineTimeoutMs'],
    [{ eventBacklog: 1.5 }, 'eventBacklog'],
    [{ maxEventsPerJob: 0 }, 'maxEventsPerJob'],
  ])('rejects %j naming the option', async (change, field) => {
    const error = await caught(() => RedisJobStore.open({ url: redis.url, ...change }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { field } });
    expect(error.message).toContain(field);
  });
});
