import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, skipWithoutRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { RedisJobStore } from '../../src/jobs/index.js';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import { ProcessReaper } from '../../src/cluster/process-reaper.js';
import type { Presence } from '../../src/cluster/presence.js';
import { freshPrefix } from './cluster-harness.js';

describe.skipIf(skipWithoutRedis)('ProcessReaper', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('ends lost the jobs of a dead process, the ones it named in `_r` and the ones an older server listed in its set', async () => {
    const prefix = freshPrefix();
    const keys = clusterKeys(prefix);
    const client = new Redis(redis.url);
    const store = await RedisJobStore.open({ client, keyPrefix: prefix });
    try {
      const job = (id: string) =>
        store.create({ command_id: id, node_id: 'ws-042', action: 'rv.open', state: 'running' });
      await job('now-style');
      await job('old-style');
      await job('elsewhere');
      await client.hset(keys.job('now-style'), '_r', 'proc-dead');
      await client.hset(keys.job('elsewhere'), '_r', 'proc-alive');
      // What a server before the `_r` field kept: the set of the jobs the process ran.
      await client.sadd(keys.legacyProcessJobs('proc-dead'), 'old-style');
      await client.sadd(keys.processes, 'proc-dead', 'proc-alive', 'proc-new');
      await client.set(keys.alive('proc-alive'), '1', 'PX', 60_000);

      const reaper = new ProcessReaper({
        self: 'proc-new',
        redis: client,
        keys,
        presence: {} as Presence, // the dead process held no node: never asked
        store,
        logger: pino({ level: 'silent' }),
        processTtlMs: 1000,
        abandon: () => Promise.resolve(false),
      });
      expect(await reaper.sweep()).toEqual(['proc-dead']);
      expect((await store.get('now-style'))?.state).toBe('lost');
      expect((await store.get('old-style'))?.state).toBe('lost');
      expect((await store.get('elsewhere'))?.state).toBe('running');
      expect(await client.exists(keys.legacyProcessJobs('proc-dead'))).toBe(0);
    } finally {
      await store.close();
      client.disconnect();
    }
  });

  it('ends failed the jobs a dead process stored for another one that nobody took, and only those', async () => {
    const prefix = freshPrefix();
    const keys = clusterKeys(prefix);
    const client = new Redis(redis.url);
    const store = await RedisJobStore.open({ client, keyPrefix: prefix });
    try {
      const job = (id: string, requester: string) =>
        store.create({ command_id: id, node_id: 'ws-042', action: 'rv.open', state: 'running', requester });
      await job('untaken', 'proc-dead');
      await job('taken', 'proc-dead');
      await client.hset(keys.job('taken'), '_r', 'proc-alive');
      // Claimed by its owner between the reaper's scan and its write: the owner runs it.
      await job('claimed-late', 'proc-dead');
      await job('someone-else', 'proc-alive');
      expect(await client.hget(keys.job('untaken'), '_q')).toBe('proc-dead');
      await client.sadd(keys.processes, 'proc-dead', 'proc-alive', 'proc-new');
      await client.set(keys.alive('proc-alive'), '1', 'PX', 60_000);
      const asked: string[] = [];
      const reaper = new ProcessReaper({
        self: 'proc-new',
        redis: client,
        keys,
        presence: {} as Presence,
        store,
        logger: pino({ level: 'silent' }),
        processTtlMs: 1000,
        // What ClusterJobs.abandon does: whoever writes the runner first decides.
        abandon: async (commandId) => {
          asked.push(commandId);
          if (commandId === 'claimed-late') await client.hset(keys.job(commandId), '_r', 'proc-alive');
          return (await client.hsetnx(keys.job(commandId), '_r', '-')) === 1;
        },
      });
      expect(await reaper.sweep()).toEqual(['proc-dead']);
      expect(asked.sort()).toEqual(['claimed-late', 'untaken']);
      const untaken = await store.get('untaken');
      expect(untaken?.state).toBe('failed');
      expect(untaken?.error).toMatchObject({
        code: 'CLUSTER_UNAVAILABLE',
        details: { process_id: 'proc-dead' },
      });
      for (const id of ['taken', 'claimed-late', 'someone-else'])
        expect((await store.get(id))?.state).toBe('running');
    } finally {
      await store.close();
      client.disconnect();
    }
  });

  /**
   * The per-process job set of servers before `_r` listed every job the process had *sent*, including
   * offline-queued jobs offered to a node that had not accepted them yet (still `queued`), and jobs
   * another process may have taken over since. The reaper reads that set for jobs that ran across an
   * upgrade, and ends `lost` only those still running under the dead process.
   */
  async function setUp(): Promise<{
    store: RedisJobStore;
    client: Redis;
    keys: ReturnType<typeof clusterKeys>;
    reaper: ProcessReaper;
  }> {
    const prefix = freshPrefix();
    const keys = clusterKeys(prefix);
    const client = new Redis(redis.url);
    const store = await RedisJobStore.open({ client, keyPrefix: prefix });
    await client.sadd(keys.processes, 'proc-old-dead', 'proc-new-alive', 'proc-reaper');
    await client.set(keys.alive('proc-new-alive'), '1', 'PX', 60_000);
    const reaper = new ProcessReaper({
      self: 'proc-reaper',
      redis: client,
      keys,
      presence: {} as Presence, // the dead process held no node
      store,
      logger: pino({ level: 'silent' }),
      processTtlMs: 1000,
      abandon: () => Promise.resolve(false),
    });
    return { store, client, keys, reaper };
  }

  it('an offline-queued job the old process offered but the node never accepted stays queued (docs/jobs.md: sent again on the next connection)', async () => {
    const { store, client, keys, reaper } = await setUp();
    try {
      await store.create({
        command_id: 'offered',
        node_id: 'ws-042',
        action: 'rv.open',
        params: { path: '/show/a.mov' },
        state: 'queued',
        expires_at: Date.now() + 3_600_000,
      });
      await client.sadd(keys.legacyProcessJobs('proc-old-dead'), 'offered');

      expect(await reaper.sweep()).toEqual(['proc-old-dead']);
      const job = await store.get('offered');
      expect(job?.state).toBe('queued');
      expect(job?.params).toEqual({ path: '/show/a.mov' });
    } finally {
      await store.close();
      client.disconnect();
    }
  });

  it("a job listed in a dead old process's set but since run by a live process (`_r`) is not ended lost", async () => {
    const { store, client, keys, reaper } = await setUp();
    try {
      // Offered by the old process (listed in its set), never accepted; the node then connected to a
      // new process, which delivered it: running there, `_r` names the live process.
      await store.create({
        command_id: 'moved',
        node_id: 'ws-042',
        action: 'rv.open',
        state: 'queued',
        expires_at: Date.now() + 3_600_000,
      });
      await client.sadd(keys.legacyProcessJobs('proc-old-dead'), 'moved');
      await client.hset(keys.job('moved'), '_r', 'proc-new-alive');
      await store.transition('moved', 'running');

      expect(await reaper.sweep()).toEqual(['proc-old-dead']);
      expect((await store.get('moved'))?.state).toBe('running');
    } finally {
      await store.close();
      client.disconnect();
    }
  });
});
