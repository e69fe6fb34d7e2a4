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
});
