import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { useClusterBed } from './cluster-harness.js';

const bed = useClusterBed();

const EXECS = 10;

/** Redis commands (those run inside scripts included) per synchronous exec sent to `server`. */
async function commandsPerExec(redis: Redis, server: TestServer, nodeId: string): Promise<number> {
  const processed = async (): Promise<number> =>
    Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))![1]);
  const before = await processed();
  for (let i = 0; i < EXECS; i++) {
    const response = await exec(server.url, nodeId, { action: 'tools.ping', params: {} });
    expect(response.status).toBe(200);
  }
  // The INFO call itself counts once.
  return ((await processed()) - before - 1) / EXECS;
}

/** Wait until `server` lists the one node (connected to the other process). */
async function listedOn(server: TestServer): Promise<void> {
  await waitFor(async () => {
    const nodes = (await api(server.url, '/api/nodes')).body.nodes as unknown[];
    return nodes.length === 1 ? true : undefined;
  }, 'the node listed on the other process');
}

describe.skipIf(skipWithoutRedis)('Redis commands per exec in a cluster', () => {
  it('stores, runs and ends one exec in a bounded number of Redis commands, through either process', async () => {
    // Slow heartbeats: nothing but the execs talks to Redis while they are counted. No exec rate
    // limit, as in the benchmark (when on, its shared token bucket is one script of 5 commands).
    const [a, b] = await bed.twoServers({
      cluster: { heartbeatMs: 60_000, processTtlMs: 120_000 },
      limits: { execRatePerMinute: 0 },
    });
    await bed.agent(a, { nodeId: 'ws-042' });
    await listedOn(b);
    const redis = new Redis(bed.redis().url);
    try {
      // Warm up: the scripts are loaded (EVALSHA from then on).
      await commandsPerExec(redis, b, 'ws-042');
      await commandsPerExec(redis, a, 'ws-042');
      // On b: the store's create (EVALSHA, one ZADD for every index, which is also the check that the
      // minted id is new, HSET, XADD, PUBLISH: 5; the state event stays in the job's hash, and the
      // start for the owner rides on the event's message), the owner's claim, which answers nobody
      // (EVALSHA, HGETALL, HSET: 3), the store's end (EVALSHA, HGETALL, ZREM, ZADD, HSET, XADD,
      // PUBLISH: 7). The failed-login check costs nothing for an address that has not failed
      // (AuthFailureWatch).
      expect(await commandsPerExec(redis, b, 'ws-042')).toBeLessThanOrEqual(15);
      // On a: the same without the claim; the create names a as the runner.
      expect(await commandsPerExec(redis, a, 'ws-042')).toBeLessThanOrEqual(12);
    } finally {
      await redis.quit();
    }
  });

  it('records the process holding the node as the runner of its jobs, sent to it or to another process', async () => {
    const [a, b] = await bed.twoServers();
    const agent = await bed.agent(a, { nodeId: 'ws-042', onExec: () => 'never' });
    await listedOn(b);
    const redis = new Redis(bed.redis().url);
    try {
      const runnerOf = async (id: string): Promise<string | null> => {
        const [key] = await redis.keys(`*job:${id}`);
        return redis.hget(key!, '_r');
      };
      // Through a, the create names a; through b, a's claim does (the create on b names no runner).
      for (const [i, server] of [a, b].entries()) {
        const accepted = await exec(server.url, 'ws-042', {
          action: 'tools.render',
          params: { script: `/shot${i}.nk` },
          wait: false,
        });
        expect(accepted.status).toBe(202);
        await waitFor(() => (agent.execs.length === i + 1 ? true : undefined), 'the exec on the node');
        expect(await runnerOf(accepted.body.command_id as string)).toBe('proc-a');
      }
    } finally {
      await redis.quit();
    }
  });
});
