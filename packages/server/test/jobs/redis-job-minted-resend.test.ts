import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewJob, RedisJobStore } from '../../src/jobs/index.js';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { sentScript } from './redis-resend.js';
import { useRedisStoreBed } from './redis-store-bed.js';

const bed = useRedisStoreBed();

/** Run one create and keep its script, to resend it as ioredis does after a reconnect. */
async function sent(
  store: RedisJobStore,
  input: NewJob,
): Promise<{ id: string; resend: () => Promise<string> }> {
  const { result, resend } = await sentScript(store, bed.admin(), () => store.create(input));
  expect(resend).toBeDefined();
  return { id: result.job.command_id, resend: resend! };
}

async function entriesOf(keyPrefix: string, id: string): Promise<string[]> {
  return (await bed.admin().zrange(`${keyPrefix}jobs:index`, 0, -1)).filter((m) => m.endsWith(`:${id}`));
}

describe.skipIf(skipWithoutRedis)('minted create resend: queued with ttl', () => {
  for (const end of ['delivered', 'expired', 'cancelled', 'lost', 'failed', 'queued-past-expiry'] as const) {
    it(`resend after ${end} leaves the index as the job has it`, async () => {
      let t = 1_700_000_000_000;
      const keyPrefix = `q-${randomUUID()}:`;
      const store = await bed.open('q', { keyPrefix, now: () => t });
      const c = await sent(store, {
        ...newJob({
          command_id: `m-${randomUUID()}`,
          state: 'queued',
          expires_at: t + 1000,
          batch_id: 'b1',
          node_id: 'n1',
        }),
        minted_id: true,
      });
      t += 5;
      if (end === 'delivered') await store.transition(c.id, 'running');
      else if (end === 'expired') {
        t += 2000;
        expect((await store.expireQueued()).map((j) => j.command_id)).toEqual([c.id]);
      } else if (end === 'queued-past-expiry') t += 2000;
      else await store.transition(c.id, end);
      const before = await entriesOf(keyPrefix, c.id);
      const hashBefore = await bed.admin().hgetall(`${keyPrefix}job:${c.id}`);
      expect(await c.resend()).toBe('replay');
      expect(await entriesOf(keyPrefix, c.id)).toEqual(before);
      expect(await bed.admin().hgetall(`${keyPrefix}job:${c.id}`)).toEqual(hashBefore);
      const waiting = (await store.queuedForNode('n1')).map((j) => j.command_id);
      expect(waiting).toEqual([]);
      if (end === 'queued-past-expiry') {
        expect((await store.expireQueued()).map((j) => j.command_id)).toEqual([c.id]);
        const expired = await entriesOf(keyPrefix, c.id);
        expect(await c.resend()).toBe('replay');
        expect((await store.get(c.id))?.state).toBe('expired');
        expect(await entriesOf(keyPrefix, c.id)).toEqual(expired);
      }
    });
  }
});
