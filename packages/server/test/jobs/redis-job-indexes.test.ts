import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RedisJobStore } from '../../src/jobs/index.js';
import { type JobFilter, type JobRecord } from '../../src/jobs/index.js';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { toEarlierLayout, useRedisStoreBed } from './redis-store-bed.js';
import { waitFor } from '@openclaw-node/test-support/server';

const bed = useRedisStoreBed();

const open = (keyPrefix: string): Promise<RedisJobStore> => bed.open('ix', { keyPrefix });

const ids = (jobs: JobRecord[]): string[] => jobs.map((j) => j.command_id);

type Query = JobFilter & { limit?: number; cursor?: string };

async function listIds(store: RedisJobStore, { limit, cursor, ...filter }: Query): Promise<string[]> {
  return ids((await store.list(filter, { ...(limit ? { limit } : {}), cursor: cursor ?? null })).jobs);
}

/** Jobs whose filter values start alike: a prefix of one index must not reach into another's. */
async function seed(store: RedisJobStore): Promise<void> {
  const soon = Date.now() + 60_000;
  await store.create(newJob({ command_id: 'j1', node_id: 'ws-1', requested_by: 'ann', action: 'rv.open' }));
  await store.create(
    newJob({ command_id: 'j2', node_id: 'ws-10', requested_by: 'ann:1:x', action: 'rv.open' }),
  );
  await store.create(newJob({ command_id: 'j3', node_id: 'ws-1', batch_id: 'b', state: 'running' }));
  await store.create(newJob({ command_id: 'j4', node_id: 'ws-10', batch_id: 'b1', expires_at: soon }));
  await store.create(newJob({ command_id: 'j5', node_id: 'ws-1', expires_at: soon, requested_by: 'ann' }));
  await store.transition('j3', 'succeeded');
  await store.transition('j1', 'cancelled');
}

const QUERIES: Query[] = [
  {},
  { node_id: 'ws-1' },
  { node_id: 'ws-10' },
  { requested_by: 'ann' },
  { requested_by: 'ann:1:x' },
  { batch_id: 'b' },
  { action: 'rv.open' },
  { state: ['queued'] },
  { state: ['succeeded', 'cancelled'] },
  { node_id: 'ws-1', state: ['queued', 'cancelled'] },
  { limit: 2 },
];

describe.skipIf(skipWithoutRedis)('RedisJobStore: the index set', () => {
  it('keeps indexes apart whose values start alike', async () => {
    const store = await open(`ix-${randomUUID()}:`);
    await seed(store);
    expect(await listIds(store, { node_id: 'ws-1' })).toEqual(['j5', 'j3', 'j1']);
    expect(await listIds(store, { node_id: 'ws-10' })).toEqual(['j4', 'j2']);
    expect(await listIds(store, { requested_by: 'ann' })).toEqual(['j5', 'j1']);
    expect(await listIds(store, { requested_by: 'ann:1:x' })).toEqual(['j2']);
    expect(await listIds(store, { batch_id: 'b' })).toEqual(['j3']);
    expect(ids(await store.queuedForNode('ws-1'))).toEqual(['j5']);
    expect(ids(await store.queuedForNode('ws-10'))).toEqual(['j4']);
    // Pages follow one another through the cursor, inside one index.
    const first = await store.list({ node_id: 'ws-1' }, { limit: 2 });
    expect(ids(first.jobs)).toEqual(['j5', 'j3']);
    expect(await listIds(store, { node_id: 'ws-1', limit: 2, cursor: first.next_cursor! })).toEqual(['j1']);
  });

  it('moves the indexes of a store an earlier build wrote (a zset per index) into the index set', async () => {
    const keyPrefix = `old-${randomUUID()}:`;
    const store = await open(keyPrefix);
    await seed(store);
    const before = await Promise.all(QUERIES.map((q) => listIds(store, q)));
    await store.close();
    // The same jobs as the earlier layout kept them (its redis-keys.ts): every index a zset of its own.
    expect(await toEarlierLayout(bed.admin(), keyPrefix)).toBeGreaterThan(0);
    expect(await bed.admin().exists(`${keyPrefix}jobs:index`)).toBe(0);

    const reopened = await open(keyPrefix);
    expect(await Promise.all(QUERIES.map((q) => listIds(reopened, q)))).toEqual(before);
    const left = (await bed.admin().keys(`${keyPrefix}jobs*`)).sort();
    expect(left).toEqual([`${keyPrefix}jobs:index`]);
    // What the moved indexes hold still works: expiry, the waiting queue, retention.
    expect(ids(await reopened.queuedForNode('ws-10'))).toEqual(['j4']);
    expect(ids(await reopened.expireQueued(Date.now() + 120_000)).sort()).toEqual(['j4', 'j5']);
    expect(await reopened.purge({ maxCount: 1 })).toBe(4);
    expect(await listIds(reopened, {})).toEqual(['j2']);
    // A second open finds nothing left to move.
    await reopened.close();
    const again = await open(keyPrefix);
    expect(await listIds(again, {})).toEqual(['j2']);
  });
});

describe.skipIf(skipWithoutRedis)('RedisJobStore: the state events of a job that only ran', () => {
  const eventsKey = (prefix: string, id: string): string => `${prefix}job:${id}:events`;

  it('keeps them in the job (no list) and gives them back as they went out, from any seq', async () => {
    const keyPrefix = `ie-${randomUUID()}:`;
    const store = await open(keyPrefix);
    const live: unknown[] = [];
    store.subscribe((event) => live.push(event));
    const wire = new Redis(bed.redis().url);
    const published: string[] = [];
    wire.on('message', (_channel: string, message: string) => published.push(message));
    await wire.subscribe(`${keyPrefix}events`);
    try {
      const { job } = await store.create(newJob({ state: 'running' }));
      await store.transition(job.command_id, 'failed', { error: { code: 'NODE_BUSY', message: 'busy' } });
      expect(await bed.admin().exists(eventsKey(keyPrefix, job.command_id))).toBe(0);
      const events = await store.listEvents(job.command_id);
      expect(events).toEqual(live);
      expect(events.map((e) => [e.seq, e.type, e.data])).toEqual([
        [1, 'state', { state: 'running' }],
        [2, 'state', { state: 'failed', error: { code: 'NODE_BUSY', message: 'busy' } }],
      ]);
      expect(await store.listEvents(job.command_id, 1)).toEqual([events[1]]);
      expect(await store.listEvents(job.command_id, 0, 1)).toEqual([events[0]]);
      expect(await store.listEvents(job.command_id, 2)).toEqual([]);
      // The ended row published with the last event does not carry them again.
      await waitFor(() => (published.length === 2 ? true : undefined), 'both events on the channel');
      expect(published[1]).toContain('"failed"');
      expect(published[1]).not.toContain('_e1');
    } finally {
      await wire.quit();
    }
  });

  it('moves them to the list, in order, when another event comes: before the end or after it', async () => {
    const keyPrefix = `ie-${randomUUID()}:`;
    const store = await open(keyPrefix);
    const live: unknown[] = [];
    store.subscribe((event) => live.push(event));
    const before = (await store.create(newJob({ state: 'running' }))).job.command_id;
    await store.updateProgress(before, { progress: 0.5, message: 'half' });
    await store.appendLog(before, ['frame 1001']);
    await store.transition(before, 'succeeded', { result: { ok: true } });
    const after = (await store.create(newJob({ state: 'running' }))).job.command_id;
    await store.transition(after, 'succeeded');
    await store.appendEvent(after, 'progress', { progress: 1, message: 'late' });
    for (const id of [before, after]) {
      const events = await store.listEvents(id);
      expect(events.map((e) => e.seq)).toEqual(id === before ? [1, 2, 3, 4] : [1, 2, 3]);
      expect(events).toEqual(live.filter((e) => (e as { job_id: string }).job_id === id));
      expect(await bed.admin().llen(eventsKey(keyPrefix, id))).toBe(events.length);
    }
  });

  it('trims to maxEventsPerJob the events moved to the list', async () => {
    const store = await bed.open('ie', { maxEventsPerJob: 2 });
    const { job } = await store.create(newJob({ state: 'running' }));
    await store.transition(job.command_id, 'succeeded');
    expect((await store.listEvents(job.command_id)).map((e) => e.seq)).toEqual([1, 2]);
    await store.appendEvent(job.command_id, 'progress', { progress: 1, message: null });
    expect((await store.listEvents(job.command_id)).map((e) => e.seq)).toEqual([2, 3]);
  });
});
