// One redis-server per test file for the Redis store's tests, an admin connection to look at its
// keys, and stores opened on fresh key prefixes that are closed after each test.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  MemoryJobStore,
  RedisJobStore,
  isTerminal,
  type JobState,
  type JobStore,
  type RedisJobStoreOptions,
} from '../../src/jobs/index.js';
import { startRedis, type RedisServer } from '@openclaw-node/test-support/redis';

export interface RedisStoreBed {
  redis(): RedisServer;
  admin(): Redis;
  /** A store on a fresh prefix (`<tag>-<uuid>:`, or `keyPrefix` in the options), closed after the test. */
  open(tag: string, options?: Partial<RedisJobStoreOptions>): Promise<RedisJobStore>;
  /** A Redis store and a memory store on the same clock, to compare their answers. */
  both(now: () => number): Promise<{ red: RedisJobStore; mem: JobStore; keyPrefix: string }>;
}

export function useRedisStoreBed(): RedisStoreBed {
  let redis: RedisServer | undefined;
  let admin: Redis | undefined;
  const opened: RedisJobStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await admin?.quit();
    await redis?.stop();
  });
  const bed: RedisStoreBed = {
    redis: () => redis!,
    admin: () => admin!,
    async open(tag, options = {}) {
      const store = await RedisJobStore.open({
        url: redis!.url,
        keyPrefix: `${tag}-${randomUUID()}:`,
        ...options,
      });
      opened.push(store);
      return store;
    },
    async both(now) {
      const keyPrefix = `both-${randomUUID()}:`;
      const red = await bed.open('both', { now, keyPrefix });
      return { red, mem: new MemoryJobStore({ now }), keyPrefix };
    },
  };
  return bed;
}

/**
 * Rewrite the indexes under `keyPrefix` as builds before the index set kept them (a sorted set per
 * index: `jobs`, `jobs:node:<node>`, …, `jobs:expiry` and `jobs:finished` scored by time), and drop
 * the index set: what opening the store must move over.
 */
export async function toEarlierLayout(admin: Redis, keyPrefix: string): Promise<number> {
  const hashes = (await admin.keys(`${keyPrefix}job:*`)).filter((k) => !/:(log|events)$/.test(k));
  const ix = (name: string, value: string): string => `${keyPrefix}jobs:${name}:${value}`;
  for (const key of hashes) {
    const h = await admin.hgetall(key);
    const id = h.command_id!;
    const m = h._m!;
    const write = admin.multi();
    write.zadd(`${keyPrefix}jobs`, 0, m);
    write.zadd(ix('node', h.node_id!), 0, m);
    write.zadd(ix('state', h.state!), 0, m);
    write.zadd(ix('action', h.action!), 0, m);
    if (h.batch_id) write.zadd(ix('batch', h.batch_id), 0, m);
    if (h.requested_by) write.zadd(ix('by', h.requested_by), 0, m);
    if (h.state === 'queued' && h.expires_ms) {
      write.zadd(`${keyPrefix}jobs:expiry`, h.expires_ms, id);
      write.zadd(ix('waiting', h.node_id!), 0, m);
    }
    if (isTerminal(h.state as JobState)) {
      write.zadd(`${keyPrefix}jobs:ended`, 0, m);
      write.zadd(`${keyPrefix}jobs:finished`, h.finished_ms!, id);
    }
    await write.exec();
  }
  await admin.del(`${keyPrefix}jobs:index`);
  return hashes.length;
}
