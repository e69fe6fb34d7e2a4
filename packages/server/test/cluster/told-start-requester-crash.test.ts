// The requester dies (SIGKILL) right after storing a job whose owner has not taken it yet: its
// deadline died with it, so the process that reaps it ends the job (ProcessReaper, NewJob.requester).
import { afterEach, describe, expect, it } from 'vitest';
import { api, exec, type FakeAgent, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers } from './child-server.js';
import { endedJob, listedOn } from './told-start-helpers.js';

const bed = useClusterBed();
const servers: TestServer[] = [];
afterEach(async () => {
  await stopChildServers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe.skipIf(skipWithoutRedis || process.platform !== 'linux')(
  'a requester that dies before the owner took its job',
  () => {
    it('has the job ended failed by whoever reaps it, and the owner, back later, never runs it', async () => {
      const url = bed.redis().url;
      const prefix = freshPrefix();
      // The owner lives long without a heartbeat (it is frozen meanwhile); the requester is reaped fast.
      const a = await startChildServer(url, prefix, 'proc-a', {
        ...FAST_CLUSTER,
        heartbeatMs: 200,
        processTtlMs: 20_000,
      });
      const b = await startChildServer(url, prefix, 'proc-b', { ...FAST_CLUSTER, rpcTimeoutMs: 15_000 });
      const c = await startClusterServer(url, prefix, 'proc-c', { cluster: FAST_CLUSTER });
      servers.push(c);
      const agent: FakeAgent = await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
      await listedOn(b.url, 'ws-042');
      await listedOn(c.url, 'ws-042');
      await a.pause();

      const accepted = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
      expect(accepted.status).toBe(202);
      const id = accepted.body.command_id as string;
      process.kill(b.pid, 'SIGKILL');

      const job = await endedJob(c, id, 'the job ended by the reaper');
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', details: { process_id: 'proc-b' } });

      // The owner wakes up to the start it was told, finds the job ended, and leaves it.
      a.resume();
      const next = await exec(c.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(next.body.status).toBe('success');
      expect(agent.execs.map((e) => e.jobId)).toEqual([next.body.command_id]);
      expect((await api(c.url, `/api/jobs/${id}`)).body.state).toBe('failed');
    });
  },
);
