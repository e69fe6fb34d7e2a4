import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryJobStore, RedisJobStore, type JobStore } from '../../src/jobs/index.js';
import { skipWithoutRedis, startRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';

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

const T = Date.UTC(2025, 0, 15, 12, 0, 0);
const opened: RedisJobStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function both(now: () => number): Promise<{ red: RedisJobStore; mem: JobStore; keyPrefix: string }> {
  const keyPrefix = `tf-${randomUUID()}:`;
  const red = await RedisJobStore.open({ url: redis.url, keyPrefix, now });
  opened.push(red);
  return { red, mem: new MemoryJobStore({ now }), keyPrefix };
}

describe.skipIf(skipWithoutRedis)(
  'RedisJobStore: times in the index set (fractional, negative, at the bounds)',
  () => {
    it('expireQueued(now) with a fractional now expires only the jobs due (not one due in a minute)', async () => {
      const { red, mem } = await both(() => T);
      for (const s of [red, mem]) {
        await s.create(newJob({ command_id: 'due', node_id: 'ws', expires_at: T - 1 }));
        await s.create(newJob({ command_id: 'in-a-minute', node_id: 'ws', expires_at: T + 60_000 }));
      }
      const expected = (await mem.expireQueued(T + 0.5)).map((j) => j.command_id);
      expect(expected).toEqual(['due']);
      expect((await red.expireQueued(T + 0.5)).map((j) => j.command_id)).toEqual(expected);
    });

    it('a clock with fractional ms: an offline job is not expired before its time', async () => {
      let t = T;
      const { red, mem } = await both(() => t);
      for (const s of [red, mem]) {
        await s.create(newJob({ command_id: 'offline', node_id: 'ws', expires_at: T + 3_600_000 }));
      }
      t = T + 1.5; // a clock of sub-millisecond precision
      expect((await mem.expireQueued()).map((j) => j.command_id)).toEqual([]);
      expect((await red.expireQueued()).map((j) => j.command_id)).toEqual([]);
      expect((await red.get('offline'))?.state).toBe('queued');
    });

    it('a clock with fractional ms: purge by age removes a job that ended long enough ago', async () => {
      let t = T;
      const { red, mem } = await both(() => t);
      for (const s of [red, mem]) {
        await s.create(newJob({ command_id: 'old', node_id: 'ws', state: 'running' }));
        await s.create(newJob({ command_id: 'young', node_id: 'ws', state: 'running' }));
      }
      t = T + 0.5;
      for (const s of [red, mem]) await s.transition('old', 'succeeded');
      t = T + 10_000;
      for (const s of [red, mem]) await s.transition('young', 'succeeded');
      t = T + 20_000;
      expect(await mem.purge({ maxAgeMs: 15_000 })).toBe(1);
      expect(await red.purge({ maxAgeMs: 15_000 })).toBe(1);
      expect(await red.get('old')).toBeUndefined();
    });

    it('an expires_at of 16 digits and a sign (a safe integer the store accepts) still expires', async () => {
      const { red, mem, keyPrefix } = await both(() => T);
      const expires_at = -1_000_000_000_000_000;
      for (const s of [red, mem]) {
        await s.create(newJob({ command_id: 'long-ago', node_id: 'ws', expires_at }));
      }
      expect((await mem.expireQueued()).map((j) => j.command_id)).toEqual(['long-ago']);
      expect((await red.expireQueued()).map((j) => j.command_id)).toEqual(['long-ago']);
      expect((await red.get('long-ago'))?.state).toBe('expired');
      void keyPrefix;
    });
  },
);
