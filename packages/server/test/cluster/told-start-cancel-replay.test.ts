// A cancel through a third process, and an Idempotency-Key replay, while the owner has not claimed
// the job yet (it is frozen).
import { afterEach, describe, expect, it } from 'vitest';
import { api, exec, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers } from './child-server.js';
import { endedJob, listedOn, runnerField, sleep } from './told-start-helpers.js';

const bed = useClusterBed();
const servers: TestServer[] = [];
afterEach(async () => {
  await stopChildServers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function threeProcesses(rpcTimeoutMs: number) {
  const url = bed.redis().url;
  const prefix = freshPrefix();
  const settings = { ...FAST_CLUSTER, heartbeatMs: 200, processTtlMs: 20_000, rpcTimeoutMs };
  const a = await startChildServer(url, prefix, 'proc-a', settings);
  const b = await startClusterServer(url, prefix, 'proc-b', { cluster: settings });
  const c = await startClusterServer(url, prefix, 'proc-c', { cluster: settings });
  servers.push(b, c);
  const agent = await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
  await listedOn(b.url, 'ws-042');
  await listedOn(c.url, 'ws-042');
  return { url, prefix, a, b, c, agent };
}

describe.skipIf(skipWithoutRedis || process.platform !== 'linux')(
  'before the owner claimed a told start',
  () => {
    it('a cancel through a third process ends it cancelled everywhere; the owner never runs it; the requester gives nothing up', async () => {
      const { url, prefix, a, b, c, agent } = await threeProcesses(1500);
      await a.pause();
      const accepted = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
      expect(accepted.status).toBe(202);
      const id = accepted.body.command_id as string;
      const cancelled = await api(c.url, `/api/jobs/${id}/cancel`, { method: 'POST', body: {} });
      expect(cancelled.status).toBeLessThan(300);
      expect((await endedJob(b, id)).state).toBe('cancelled');
      a.resume();
      const next = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(next.body.status).toBe('success');
      await sleep(1800); // past the requester's deadline
      expect(agent.execs.map((e) => e.jobId)).toEqual([next.body.command_id]);
      expect(await runnerField(url, prefix, id)).toBeNull();
      for (const s of [b, c]) expect((await api(s.url, `/api/jobs/${id}`)).body.state).toBe('cancelled');
      expect(b.logs.filter((l) => l.msg === 'could not end a job that did not start')).toEqual([]);
    });

    it('an Idempotency-Key replay through a third process answers with the one job, which runs once', async () => {
      const { b, c, a, agent } = await threeProcesses(5000);
      await a.pause();
      const headers = { 'idempotency-key': 'replay-1' };
      const first = api(b.url, '/api/nodes/ws-042/exec', {
        body: { action: 'tools.ping', params: {} },
        headers,
      });
      await sleep(300);
      const second = api(c.url, '/api/nodes/ws-042/exec', {
        body: { action: 'tools.ping', params: {} },
        headers,
      });
      const third = api(b.url, '/api/nodes/ws-042/exec', {
        body: { action: 'tools.ping', params: {} },
        headers,
      });
      await sleep(300);
      a.resume();
      const answers = await Promise.all([first, second, third]);
      const ids = new Set(answers.map((r) => r.body.command_id as string));
      expect(ids.size).toBe(1);
      for (const r of answers) expect(r.body.status).toBe('success');
      expect(agent.execs).toHaveLength(1);
      const [id] = [...ids] as string[];
      expect((await endedJob(c, id!)).state).toBe('succeeded');
    });
  },
);
