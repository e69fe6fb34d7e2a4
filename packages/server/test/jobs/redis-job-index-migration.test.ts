import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RedisJobStore, type JobFilter } from '../../src/jobs/index.js';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import { ProcessReaper } from '../../src/cluster/process-reaper.js';
import type { Presence } from '../../src/cluster/presence.js';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { toEarlierLayout, useRedisStoreBed } from './redis-store-bed.js';

const bed = useRedisStoreBed();

const NODES = ['ws-1', 'ws-10', 'a:1', 'é', '日本', 'w1:x:', 'running'];

async function seed(store: RedisJobStore, n: number, t: { v: number }): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    t.v += i % 3 === 0 ? 0 : 1;
    const node = NODES[i % NODES.length]!;
    const kind = i % 5;
    const id = `j${String(i).padStart(4, '0')}${['', ':x', 'é', '~', '😀'][i % 5]}`;
    const made = await store.create(
      newJob({
        command_id: id,
        node_id: node,
        action: NODES[(i * 3) % NODES.length]!,
        batch_id: i % 4 === 0 ? NODES[(i >> 2) % NODES.length]! : null,
        requested_by: i % 2 ? NODES[(i * 5) % NODES.length]! : null,
        idempotency_key: i % 6 === 0 ? 'k' : null,
        state: kind < 2 ? 'queued' : 'running',
        expires_at: kind === 0 ? t.v + 1000 + i : null,
      }),
    );
    if (!made.created) continue;
    if (kind === 3) await store.transition(id, 'succeeded');
    if (kind === 4 && i % 2) await store.transition(id, 'failed');
    ids.push(id);
  }
  return ids;
}

const QUERIES: JobFilter[] = [
  {},
  ...NODES.map((node_id) => ({ node_id })),
  ...NODES.map((action) => ({ action })),
  ...NODES.map((batch_id) => ({ batch_id })),
  ...NODES.map((requested_by) => ({ requested_by })),
  { state: 'queued' },
  { state: ['running', 'failed'] },
  { state: 'succeeded', node_id: 'é' },
];

async function snapshot(store: RedisJobStore): Promise<unknown> {
  const lists = [];
  for (const q of QUERIES) {
    const out: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await store.list(q, { limit: 37, cursor });
      out.push(...page.jobs.map((j) => `${j.command_id}/${j.state}`));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    lists.push(out);
  }
  const queues = [];
  for (const n of NODES) queues.push((await store.queuedForNode(n)).map((j) => j.command_id));
  return { lists, queues, idem: (await store.findByIdempotencyKey('pipeline', 'k', 0))?.command_id };
}

describe.skipIf(skipWithoutRedis)(
  'RedisJobStore: moving the older indexes; the reaper on the index set',
  () => {
    it('two stores opening at once on a half-migrated old layout agree with the layout before', async () => {
      const keyPrefix = `mg-${randomUUID()}:`;
      const t = { v: 1_700_000_000_000 };
      const now = (): number => t.v;
      const first = await RedisJobStore.open({ url: bed.redis().url, keyPrefix, now });
      const ids = await seed(first, 530, t);
      const before = await snapshot(first);
      await first.close();
      expect(await toEarlierLayout(bed.admin(), keyPrefix)).toBeGreaterThan(0);
      // Half way: run the migration script by hand for a few jobs.
      const client = new Redis(bed.redis().url);
      const helper = await RedisJobStore.open({ client, keyPrefix: `other-${randomUUID()}:` });
      await (client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>).ocjMigrateIndexes!(
        keyPrefix,
        1000,
        10000,
        7,
      );
      await helper.close();
      client.disconnect();
      const [a, b] = await Promise.all([
        RedisJobStore.open({ url: bed.redis().url, keyPrefix, now }),
        RedisJobStore.open({ url: bed.redis().url, keyPrefix, now }),
      ]);
      try {
        expect(await snapshot(a)).toEqual(before);
        expect(await snapshot(b)).toEqual(before);
        expect((await bed.admin().keys(`${keyPrefix}jobs*`)).sort()).toEqual([`${keyPrefix}jobs:index`]);
        // End all, purge all: nothing left.
        for (const id of ids) await a.transition(id, 'cancelled').catch(() => undefined);
        t.v += 10;
        expect(await b.purge({ maxAgeMs: 0 })).toBe(ids.length);
        expect(await bed.admin().zcard(`${keyPrefix}jobs:index`)).toBe(0);
        expect((await bed.admin().keys(`${keyPrefix}*`)).filter((k) => !k.endsWith('events:log'))).toEqual(
          [],
        );
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('the reaper finds every running job of a dead process across pages', async () => {
      const prefix = `rp-${randomUUID()}:`;
      const keys = clusterKeys(prefix);
      const client = new Redis(bed.redis().url);
      const store = await RedisJobStore.open({ client, keyPrefix: prefix });
      try {
        const mine: string[] = [];
        for (let i = 0; i < 1100; i++) {
          const id = `r${i}${['', ':', '\u00ff', '😀'][i % 4]}`;
          await store.create(
            newJob({
              command_id: id,
              node_id: i % 2 ? 'running' : 's7:running:',
              action: 'running',
              state: i % 7 === 0 ? 'queued' : 'running',
              runner: i % 3 ? 'dead' : 'alive',
            }),
          );
          if (i % 3 && i % 7 !== 0) mine.push(id);
        }
        await client.sadd(keys.processes, 'dead', 'alive', 'me');
        await client.set(keys.alive('alive'), '1', 'PX', 60_000);
        const reaper = new ProcessReaper({
          self: 'me',
          redis: client,
          keys,
          presence: {} as Presence,
          store,
          logger: pino({ level: 'silent' }),
          processTtlMs: 1000,
          abandon: () => Promise.resolve(false),
        });
        expect((await reaper.jobsOf('dead')).sort()).toEqual(mine.sort());
      } finally {
        await store.close();
        client.disconnect();
      }
    });
  },
);
