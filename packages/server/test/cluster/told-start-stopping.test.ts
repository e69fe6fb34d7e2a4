// The requester stops while the create of a told start is still in flight (its own event has not
// come back yet): drain() gives up the deadlines it has, but this start settles after close() and
// gets no deadline and no give-up. If the owner never claims it (it dies), nobody ends the job.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers } from './child-server.js';
import {
  clientIds,
  killClient,
  listedOn,
  sleep,
  holdCatchUpReads,
  restoreCatchUpReads,
} from './told-start-helpers.js';

const bed = useClusterBed();
afterEach(async () => {
  restoreCatchUpReads();
  await stopChildServers();
});

describe.skipIf(skipWithoutRedis || process.platform !== 'linux')(
  'a requester stopping during a told create',
  () => {
    it('still gives the start up: the job does not stay running with nobody to run it', async () => {
      const url = bed.redis().url;
      const prefix = freshPrefix();
      const settings = { ...FAST_CLUSTER, rpcTimeoutMs: 5000 };
      // A third process, alive throughout, which reaps the dead owner.
      const c = await startClusterServer(url, prefix, 'proc-c', { cluster: settings });
      const a = await startChildServer(url, prefix, 'proc-a', {
        ...settings,
        heartbeatMs: 200,
        processTtlMs: 3000,
      });
      const before = new Set(await clientIds(url, 'openclaw-jobs-events'));
      const b: TestServer = await startClusterServer(url, prefix, 'proc-b', { cluster: settings });
      const feedOfB = (await clientIds(url, 'openclaw-jobs-events')).filter((id) => !before.has(id));
      expect(feedOfB).toHaveLength(1);
      await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
      await listedOn(b.url, 'ws-042');
      await a.pause();

      // b's own feed is catching up, so its create waits for its event to come back.
      const { reached, release } = holdCatchUpReads();
      await killClient(url, feedOfB[0]!);
      await reached;
      const answer = exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
      await sleep(300); // the create's script ran
      const closed = b.close();
      await sleep(300);
      release();
      await closed;
      expect((await answer).status).toBe(202); // the create settled 'sent' after drain() gave deadlines up
      restoreCatchUpReads();

      const redis = new Redis(url);
      try {
        const keys = (await redis.keys(`${prefix}job:*`)).filter((k) => !k.includes(':', prefix.length + 4));
        expect(keys).toHaveLength(1);
        process.kill(a.pid, 'SIGKILL'); // the owner never comes back
        await waitFor(
          async () => {
            const nodes = (await api(c.url, '/api/nodes')).body.nodes as { node_id: string }[];
            return nodes.some((n) => n.node_id === 'ws-042') ? undefined : true;
          },
          'the dead owner reaped by proc-c',
          15_000,
        );
        const state = await waitFor(
          async () => {
            const s = await redis.hget(keys[0]!, 'state');
            return s !== 'running' ? s : undefined;
          },
          `${keys[0]} to end (runner: ${await redis.hget(keys[0]!, '_r')})`,
          5000,
        );
        expect(state).toBe('failed');
      } finally {
        await c.close();
        await redis.quit();
      }
    }, 60_000);
  },
);
