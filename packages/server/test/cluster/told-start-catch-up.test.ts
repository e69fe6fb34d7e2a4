// The owner's store subscriber reconnects: a start that reaches it over pub/sub while it catches up
// from the stream must not be thrown away (the stream's copy of the event carries no hand-over).
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { exec } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { startClusterServer, useClusterBed } from './cluster-harness.js';
import {
  clientIds,
  endedJob,
  killClient,
  listedOn,
  sleep,
  holdCatchUpReads,
  restoreCatchUpReads,
} from './told-start-helpers.js';

const bed = useClusterBed();
afterEach(() => {
  restoreCatchUpReads();
});

describe.skipIf(skipWithoutRedis)('a start told while the owner catches up after a reconnect', () => {
  it('is run: the owner heard it over pub/sub, so the job must not end CLUSTER_UNAVAILABLE', async () => {
    const url = bed.redis().url;
    const { prefix, servers } = await bed.servers(['proc-a'], { cluster: { rpcTimeoutMs: 1500 } });
    const a = servers[0]!;
    const feedsOfA = await clientIds(url, 'openclaw-jobs-events');
    const b = await startClusterServer(url, prefix, 'proc-b', { cluster: { rpcTimeoutMs: 1500 } });
    try {
      const agent = await bed.agent(a, { nodeId: 'ws-042' });
      await listedOn(b.url, 'ws-042');
      const warm = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(warm.body.status).toBe('success');

      // Hold the owner's catch-up read (XRANGE) until the job has been created.
      const { reached, release } = holdCatchUpReads();
      expect(feedsOfA).toHaveLength(1);
      await killClient(url, feedsOfA[0]!);
      await reached; // a subscribed again and is reading the stream
      const probe = new Redis(url);
      const [, listeners] = (await probe.call('PUBSUB', 'NUMSUB', `${prefix}events`)) as [string, number];
      probe.disconnect();
      expect(listeners).toBe(2); // a's subscriber (again) and b's: the create's message reaches a

      const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
      expect(response.status).toBe(202);
      const id = response.body.command_id as string;
      await sleep(200); // the create's message, with the start, reached a's subscriber meanwhile
      release();

      const job = await endedJob(b, id, 'the job to end');
      expect({ state: job.state, code: job.error?.code }).toEqual({ state: 'succeeded', code: undefined });
      expect(agent.execs.map((e) => e.jobId)).toContain(id);
    } finally {
      restoreCatchUpReads();
      await b.close();
    }
  });
});
