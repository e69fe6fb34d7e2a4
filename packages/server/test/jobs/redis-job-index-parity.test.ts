import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MemoryJobStore,
  RedisJobStore,
  type JobFilter,
  type JobState,
  type JobStore,
} from '../../src/jobs/index.js';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { rng, stateOrCode } from './random-history.js';
import { useRedisStoreBed } from './redis-store-bed.js';

const bed = useRedisStoreBed();

const VALUES = [
  'a',
  'a:',
  'a:1',
  'a:1:',
  ':',
  '1',
  '10',
  '1:a',
  'é',
  'éa',
  'e\u0301',
  '日本',
  '日本:1',
  '😀',
  '😀1',
  'w',
  's7:running:',
  '*:',
  'a1:a:',
  ' ',
  'A',
  'b\\',
  'x'.repeat(11),
];
const IDS = [
  'id',
  'id:1',
  ':',
  '::',
  '0000000000000001:x',
  'é',
  '😀',
  'z',
  'Z',
  '日',
  'a b',
  '%',
  '\u00ff',
  '~',
  '\ud7ff',
];

describe.skipIf(skipWithoutRedis)(
  'RedisJobStore: the index set answers as the memory store does (random histories)',
  () => {
    for (const seed of [1, 2, 3, 4]) {
      it(`seed ${seed}: lists, queues, expiry, purge agree; no leftovers`, async () => {
        const r = rng(seed);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
        let t = 1_700_000_000_000;
        const now = (): number => t;
        const keyPrefix = `fz-${randomUUID()}:`;
        const red = await RedisJobStore.open({ url: bed.redis().url, keyPrefix, now });
        const mem = new MemoryJobStore({ now });
        const stores: JobStore[] = [red, mem];
        const ids: string[] = [];
        try {
          for (let i = 0; i < 120; i++) {
            t += Math.floor(r() * 3); // equal times often
            const op = r();
            if (op < 0.5 || ids.length === 0) {
              const id = `${pick(IDS)}${i}${pick(IDS)}`;
              const queued = r() < 0.7;
              const input = newJob({
                command_id: id,
                node_id: pick(VALUES),
                action: pick(VALUES),
                requested_by: r() < 0.3 ? null : pick(VALUES),
                batch_id: r() < 0.4 ? pick(VALUES) : null,
                idempotency_key: r() < 0.3 ? pick(['k1', 'k2']) : null,
                state: queued ? 'queued' : 'running',
                expires_at: queued && r() < 0.6 ? t + Math.floor(r() * 40) : null,
              });
              const a = await red.create(input).then(
                (x) => x.job.command_id,
                (e: Error) => `err ${e.message}`,
              );
              const b = await mem.create(input).then(
                (x) => x.job.command_id,
                (e: Error) => `err ${e.message}`,
              );
              expect(a).toBe(b);
              if (!a.startsWith('err') && !ids.includes(a)) ids.push(a);
            } else if (op < 0.8) {
              const id = pick(ids);
              const to = pick<JobState>([
                'running',
                'succeeded',
                'failed',
                'cancelled',
                'lost',
                'expired',
                'timed_out',
              ]);
              const a = await stateOrCode(red.transition(id, to));
              const b = await stateOrCode(mem.transition(id, to));
              expect(a, `transition ${id} -> ${to}`).toBe(b);
            } else if (op < 0.88) {
              const a = (await red.expireQueued()).map((j) => j.command_id).sort();
              const b = (await mem.expireQueued()).map((j) => j.command_id).sort();
              expect(a).toEqual(b);
            } else if (op < 0.94) {
              const maxAgeMs = Math.floor(r() * 20);
              const a = await red.purge({ maxAgeMs });
              const b = await mem.purge({ maxAgeMs });
              expect(a, `purge age ${maxAgeMs}`).toBe(b);
            } else {
              const maxCount = Math.floor(r() * 60);
              const a = await red.purge({ maxCount });
              const b = await mem.purge({ maxCount });
              expect(a, `purge count ${maxCount}`).toBe(b);
            }
            if (i % 10 === 9) await compare(stores, pick);
          }
          await compare(stores, pick);
          // Purge everything that ended, then end what is live and purge again.
          for (const id of ids) {
            for (const s of stores) await s.transition(id, 'cancelled').catch(() => undefined);
          }
          t += 1000;
          expect(await red.purge({ maxAgeMs: 0 })).toBe(await mem.purge({ maxAgeMs: 0 }));
          expect((await red.list({}, { limit: 500 })).jobs).toEqual([]);
          expect(await bed.admin().zcard(`${keyPrefix}jobs:index`)).toBe(0);
          const left = (await bed.admin().keys(`${keyPrefix}*`)).filter((k) => !k.endsWith('events:log'));
          expect(left).toEqual([]);
        } finally {
          await red.close();
        }
      });
    }
  },
);

async function compare(stores: JobStore[], pick: <T>(xs: readonly T[]) => T): Promise<void> {
  const filters: JobFilter[] = [{}];
  for (let i = 0; i < 6; i++) {
    filters.push(
      { node_id: pick(VALUES) },
      { action: pick(VALUES) },
      { batch_id: pick(VALUES) },
      { requested_by: pick(VALUES) },
    );
  }
  filters.push(
    { state: ['queued', 'running'] },
    { state: ['succeeded', 'expired', 'lost'] },
    { state: 'cancelled', node_id: pick(VALUES) },
  );
  for (const f of filters) {
    for (const limit of [1, 3, 100]) {
      const pages: string[][] = [];
      for (const s of stores) {
        const out: string[] = [];
        let cursor: string | null = null;
        for (let n = 0; n < 200; n++) {
          const page = await s.list(f, { limit, cursor });
          out.push(...page.jobs.map((j) => `${j.command_id}/${j.state}`));
          if (!page.next_cursor) break;
          cursor = page.next_cursor;
        }
        pages.push(out);
      }
      expect(pages[0], `list ${JSON.stringify(f)} limit ${limit}`).toEqual(pages[1]);
    }
  }
  for (const node of VALUES) {
    const [a, b] = await Promise.all(
      stores.map(async (s) => (await s.queuedForNode(node)).map((j) => j.command_id)),
    );
    expect(a, `queuedForNode ${node}`).toEqual(b);
  }
  for (const key of ['k1', 'k2']) {
    for (const who of [null, ...VALUES.slice(0, 5)]) {
      const [a, b] = await Promise.all(
        stores.map(async (s) => (await s.findByIdempotencyKey(who, key, 0))?.command_id ?? null),
      );
      expect(a, `idem ${who} ${key}`).toBe(b);
    }
  }
}
