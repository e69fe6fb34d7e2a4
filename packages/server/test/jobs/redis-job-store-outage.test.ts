import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisJobStore, type JobEvent, type RedisJobStoreOptions } from '../../src/jobs/index.js';
import {
  REDIS_INSTALL_HINT,
  skipWithoutRedis,
  startRedis,
  type RedisServer,
} from '@openclaw-node/test-support/redis';
import { memoryLogger, waitFor } from '@openclaw-node/test-support/server';
import { caught } from './helpers.js';
import { newJob } from './job-store-suite.js';

const PASSWORD = 'S3cret/pass:word@x';

let redis: RedisServer;
let address: string;
beforeAll(async () => {
  // The startRedis suite below runs without Redis; the others skip (see skipWithoutRedis).
  if (skipWithoutRedis) return;
  redis = await startRedis({ password: PASSWORD });
  address = `redis://127.0.0.1:${redis.port}`;
});
afterAll(async () => {
  await redis?.stop();
});

const opened: RedisJobStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function open(options: Partial<RedisJobStoreOptions> = {}): Promise<RedisJobStore> {
  const store = await RedisJobStore.open({ url: redis.url, keyPrefix: `o-${randomUUID()}:`, ...options });
  opened.push(store);
  return store;
}

function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(encodeURIComponent(PASSWORD));
  expect(text).not.toContain('S3cret');
}

describe('startRedis', () => {
  it('says what to install when the binary is missing', async () => {
    await expect(startRedis({ binary: 'redis-server-not-installed' })).rejects.toThrow(
      `redis-server was not found on PATH: ${REDIS_INSTALL_HINT}`,
    );
    expect(REDIS_INSTALL_HINT).toContain('apt-get install redis-server');
  });
});

describe.skipIf(skipWithoutRedis)('RedisJobStore: credentials', () => {
  it('authenticates with the password in the url', async () => {
    expect(redis.url).toContain(encodeURIComponent(PASSWORD));
    const store = await open();
    expect(store.address).toBe(address);
    expect((await store.create(newJob())).created).toBe(true);
  });

  it('refuses a wrong password at once, naming the address and not the password', async () => {
    const { logger, logs } = memoryLogger();
    const url = redis.url.replace(encodeURIComponent(PASSWORD), 'S3cret-wrong');
    const error = await caught(() => RedisJobStore.open({ url, logger, connectTimeoutMs: 10_000 }));
    expect(error).toMatchObject({ code: 'JOB_STORE_FAILED', details: { store: 'redis', redis: address } });
    expect(error.message).toContain(`Cannot connect to Redis at ${address}`);
    expect(error.message).toMatch(/WRONGPASS/);
    expectNoPassword(JSON.stringify({ error, message: error.message, stack: error.stack, logs }));
  });

  it('fails to open when nothing listens, naming the address', async () => {
    const other = await startRedis();
    const url = `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${other.port}/3`;
    await other.stop();
    const error = await caught(() => RedisJobStore.open({ url, connectTimeoutMs: 300 }));
    expect(error).toMatchObject({ code: 'JOB_STORE_FAILED' });
    expect(error.message).toContain(`Cannot connect to Redis at redis://127.0.0.1:${other.port}/3`);
    expect(error.message).toContain('ECONNREFUSED');
    expectNoPassword(JSON.stringify({ error, message: error.message }));
  });

  it.each([
    'http://127.0.0.1:6379',
    `redis://:${PASSWORD}@`,
    `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:99999`,
    `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:6379/db`,
    `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:6379?tls=1`,
    '',
  ])('rejects the url %j with CONFIG_INVALID naming redis, without repeating it', async (url) => {
    const error = await caught(() => RedisJobStore.open({ url }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'redis' } });
    expect(error.message).toMatch(/^redis must be a Redis URL/);
    expectNoPassword(error.message);
  });
});

function record(store: RedisJobStore): JobEvent[] {
  const seen: JobEvent[] = [];
  store.subscribe((event) => seen.push(event));
  return seen;
}

async function until(events: JobEvent[], count: number): Promise<void> {
  await waitFor(() => (events.length >= count ? true : undefined), `${count} events`, 10_000);
}

describe.skipIf(skipWithoutRedis)('RedisJobStore: Redis going away', () => {
  it('keeps the history across a Redis restart (AOF) and the subscriber resumes', async () => {
    const keyPrefix = `restart-${randomUUID()}:`;
    const { logger, logs } = memoryLogger();
    const a = await open({ keyPrefix, logger });
    const b = await open({ keyPrefix });
    const seen = record(b);
    const { job } = await a.create(newJob({ state: 'running', params: { shot: 'sh010' } }));
    const id = job.command_id;
    await a.appendLog(id, ['before restart']);
    await until(seen, 2);
    await redis.restart();
    // Written as soon as the commands connection is back, maybe before b has subscribed again.
    await a.appendLog(id, ['after restart']);
    for (let i = 1; i <= 5; i++) await a.updateProgress(id, { progress: i / 10 });
    await a.transition(id, 'succeeded', { result: { frames: 24 } });
    await until(seen, 9);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await b.get(id)).toMatchObject({
      state: 'succeeded',
      params: { shot: 'sh010' },
      log_tail: ['before restart', 'after restart'],
      result: { frames: 24 },
    });
    expect((await b.listEvents(id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const messages = logs.map((line) => line.msg);
    expect(messages).toContain('Redis connection lost; reconnecting');
    expect(messages).toContain('Redis connection back');
    expectNoPassword(JSON.stringify(logs));
  });

  it('holds a write made while Redis is down until it is back', async () => {
    const store = await open();
    const seen = record(store);
    const { job } = await store.create(newJob({ state: 'running' }));
    await redis.kill();
    const pending = store.transition(job.command_id, 'succeeded', { result: 'late' });
    await new Promise((r) => setTimeout(r, 300));
    await redis.restart();
    expect(await pending).toMatchObject({ state: 'succeeded', result: 'late' });
    expect(seen.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('fails a call with JOB_STORE_FAILED when Redis stays down past offlineTimeoutMs, then recovers', async () => {
    const store = await open({ offlineTimeoutMs: 300 });
    await store.create(newJob({ command_id: 'kept', state: 'running' }));
    await redis.kill();
    try {
      const error = await caught(() => store.get('kept'));
      expect(error).toMatchObject({ code: 'JOB_STORE_FAILED', details: { redis: address } });
      expect(error.message).toContain(`Redis at ${address} is unreachable`);
      expect(error.message).toContain('300 ms');
      expectNoPassword(JSON.stringify({ error, message: error.message }));
    } finally {
      await redis.restart();
    }
    // The reconnect backoff may outlast the 300 ms bound: calls fail until the store is back, then work.
    const state = await waitFor(
      async () => (await store.get('kept').catch(() => undefined))?.state,
      'reconnect',
    );
    expect(state).toBe('running');
  });

  it('fails a call waiting for the connection when the store closes', async () => {
    const store = await open();
    await store.create(newJob({ command_id: 'w' }));
    await redis.kill();
    try {
      const pending = caught(() => store.get('w'));
      await new Promise((r) => setTimeout(r, 100));
      await store.close();
      expect(await pending).toMatchObject({ code: 'JOB_STORE_FAILED', message: 'The job store is closed' });
    } finally {
      await redis.restart();
    }
  });

  it('catches up on the events published while only its subscriber connection was cut', async () => {
    const keyPrefix = `cut-${randomUUID()}:`;
    const a = await open({ keyPrefix });
    const b = await open({ keyPrefix });
    const seen = record(b);
    const { job } = await a.create(newJob({ state: 'running' }));
    await until(seen, 1);
    const admin = new Redis(redis.url);
    try {
      await admin.client('KILL', 'TYPE', 'pubsub');
      for (let i = 0; i < 20; i++) await a.appendLog(job.command_id, [`line ${i}`]);
      await a.transition(job.command_id, 'failed');
      await until(seen, 22);
      expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    } finally {
      await admin.quit();
    }
  });
});
