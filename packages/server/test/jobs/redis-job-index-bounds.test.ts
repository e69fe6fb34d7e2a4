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
  const keyPrefix = `bh-${randomUUID()}:`;
  const red = await RedisJobStore.open({ url: redis.url, keyPrefix, now });
  opened.push(red);
  return { red, mem: new MemoryJobStore({ now }), keyPrefix };
}

describe.skipIf(skipWithoutRedis)('RedisJobStore: expiry and retention at their bounds', () => {
  it('expiry exactly at now, purge exactly at the age bound', async () => {
    let t = T;
    const { red, mem, keyPrefix } = await both(() => t);
    for (const s of [red, mem]) {
      await s.create(newJob({ command_id: 'at-now', node_id: 'n', expires_at: T + 10 }));
      await s.create(newJob({ command_id: 'after-now', node_id: 'n', expires_at: T + 11 }));
    }
    t = T + 10;
    for (const s of [red, mem])
      expect((await s.queuedForNode('n')).map((j) => j.command_id)).toEqual(['after-now']);
    for (const s of [red, mem]) expect((await s.expireQueued()).map((j) => j.command_id)).toEqual(['at-now']);
    t = T + 20;
    // at-now finished at T+10: bound T+10 keeps it, T+11 removes it.
    for (const s of [red, mem]) expect(await s.purge({ maxAgeMs: 10 })).toBe(0);
    for (const s of [red, mem]) expect(await s.purge({ maxAgeMs: 9 })).toBe(1);
    t = T + 100;
    for (const s of [red, mem])
      expect((await s.expireQueued()).map((j) => j.command_id)).toEqual(['after-now']);
    for (const s of [red, mem]) expect(await s.purge({ maxCount: 0 })).toBe(1);
    expect(await admin.zcard(`${keyPrefix}jobs:index`)).toBe(0);
  });

  it('a batch keeps its idempotency key after its newest job is purged', async () => {
    let t = T;
    const { red, mem } = await both(() => t);
    for (const s of [red, mem]) {
      for (const [i, id] of ['b-1', 'b-2', 'b-3'].entries()) {
        t = T + i;
        await s.create(
          newJob({ command_id: id, node_id: 'n', batch_id: 'bat:1', idempotency_key: 'k', state: 'running' }),
        );
      }
    }
    t = T + 5;
    for (const s of [red, mem]) await s.transition('b-3', 'succeeded');
    t = T + 100;
    for (const s of [red, mem]) expect(await s.purge({ maxAgeMs: 50 })).toBe(1);
    for (const s of [red, mem])
      expect((await s.findByIdempotencyKey('pipeline', 'k', 0))?.command_id).toBe('b-2');
  });
});
