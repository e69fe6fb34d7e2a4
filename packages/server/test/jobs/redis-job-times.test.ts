import { describe, expect, it } from 'vitest';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { useRedisStoreBed } from './redis-store-bed.js';

const bed = useRedisStoreBed();
const T = Date.UTC(2025, 0, 15, 12, 0, 0);

describe.skipIf(skipWithoutRedis)(
  'RedisJobStore: times in the index set (fractional, negative, at the bounds)',
  () => {
    it('expireQueued(now) with a fractional now expires only the jobs due (not one due in a minute)', async () => {
      const { red, mem } = await bed.both(() => T);
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
      const { red, mem } = await bed.both(() => t);
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
      const { red, mem } = await bed.both(() => t);
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
      const { red, mem, keyPrefix } = await bed.both(() => T);
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

describe.skipIf(skipWithoutRedis)('RedisJobStore: expiry and retention at their bounds', () => {
  it('expiry exactly at now, purge exactly at the age bound', async () => {
    let t = T;
    const { red, mem, keyPrefix } = await bed.both(() => t);
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
    expect(await bed.admin().zcard(`${keyPrefix}jobs:index`)).toBe(0);
  });

  it('a batch keeps its idempotency key after its newest job is purged', async () => {
    let t = T;
    const { red, mem } = await bed.both(() => t);
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
