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

describe.skipIf(skipWithoutRedis)('Redis commands per exec in a cluster', () => {
  it('stores, runs and ends one exec in a bounded number of Redis commands, through either process', async () => {
    // Slow heartbeats: nothing but the execs talks to Redis while they are counted. No exec rate
    // limit, as in the benchmark (when on, its shared token bucket is one script of 5 commands).
    const [a, b] = await bed.twoServers({
      cluster: { heartbeatMs: 60_000, processTtlMs: 120_000 },
      limits: { execRatePerMinute: 0 },
    });
    await bed.agent(a, { nodeId: 'ws-042' });
    await waitFor(async () => {
      const nodes = (await api(b.url, '/api/nodes')).body.nodes as unknown[];
      return nodes.length === 1 ? true : undefined;
    }, 'ws-042 on b');
    const redis = new Redis(bed.redis().url);
    try {
      // Warm up: the scripts are loaded (EVALSHA from then on).
      await commandsPerExec(redis, b, 'ws-042');
      await commandsPerExec(redis, a, 'ws-042');
      // On b: the auth check (1), the store's create (11), the start call and its reply (2), the
      // owner's claim (3), the store's end (10).
      expect(await commandsPerExec(redis, b, 'ws-042')).toBeLessThanOrEqual(27);
      // On a: the same without the call, its reply and the claim; the runner's ownership write (3).
      expect(await commandsPerExec(redis, a, 'ws-042')).toBeLessThanOrEqual(25);
    } finally {
      await redis.quit();
    }
  });
});
