// A request forwarded to the process holding the node, and that process not answering or refusing
// the start (docs/scale-out.md, "When something fails"). The owner runs in a child process so that
// it can be frozen with SIGSTOP: alive, its sockets open, but unable to answer anything.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_ADAPTERS, type ClusterAdapterKind } from '../../src/cluster/cluster-settings.js';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import type { ClusterSettings } from '../../src/index.js';
import { api, exec, waitFor, type FakeAgent, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers, type ChildServer } from './child-server.js';

const bed = useClusterBed();

const servers: TestServer[] = [];

afterEach(async () => {
  await stopChildServers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Wait until `server` lists the node (connected to the other process). */
async function listedOn(url: string, nodeId: string): Promise<void> {
  await waitFor(async () => {
    const nodes = (await api(url, '/api/nodes')).body.nodes as { node_id: string }[];
    return nodes.some((n) => n.node_id === nodeId) ? true : undefined;
  }, `${nodeId} listed on ${url}`);
}

/** The runner field of a job's hash in Redis (`-` once the requester gave up on its start). */
async function runnerField(redisUrl: string, prefix: string, commandId: string): Promise<string | null> {
  const redis = new Redis(redisUrl);
  try {
    return await redis.hget(clusterKeys(prefix).job(commandId), '_r');
  } finally {
    redis.disconnect();
  }
}

/**
 * Owner `proc-a` in a child process (the node's agent connects to it), requester `proc-b` in this
 * one. Processes live for 20 s without a heartbeat: a frozen owner is never reaped during a test.
 */
async function ownerAndRequester(
  adapter: ClusterAdapterKind,
  cluster: Partial<ClusterSettings> = {},
): Promise<{ a: ChildServer; b: TestServer; prefix: string; agent: FakeAgent }> {
  const prefix = freshPrefix();
  const settings = { ...FAST_CLUSTER, heartbeatMs: 200, processTtlMs: 20_000, adapter, ...cluster };
  const a = await startChildServer(bed.redis().url, prefix, 'proc-a', settings);
  const b = await startClusterServer(bed.redis().url, prefix, 'proc-b', { cluster: settings });
  servers.push(b);
  const agent = await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
  expect(agent.helloAck?.ok).toBe(true);
  await listedOn(b.url, 'ws-042');
  return { a, b, prefix, agent };
}

/**
 * Proves the resumed owner has handled every start call published before this one: calls reach it in
 * order on one channel, and each is claimed in Redis (in order, on one connection) before it is sent.
 */
async function execThroughToTheNode(b: TestServer, agent: FakeAgent): Promise<string> {
  const done = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
  expect([done.status, done.body.status]).toEqual([200, 'success']);
  const id = done.body.command_id as string;
  expect(agent.execs.at(-1)?.jobId).toBe(id);
  return id;
}

describe.skipIf(skipWithoutRedis || process.platform !== 'linux').each(CLUSTER_ADAPTERS)(
  'a request forwarded to the process holding the node, which fails to start it (%s adapter)',
  (adapter) => {
    it('answers 503 CLUSTER_UNAVAILABLE after rpcTimeoutMs when the owner does not answer, ends the job failed everywhere, and never runs it', async () => {
      const { a, b, prefix, agent } = await ownerAndRequester(adapter);
      await a.pause();

      const response = await exec(b.url, 'ws-042', {
        action: 'tools.open_folder',
        params: { path: '/show/sh010' },
      });

      expect(response.status).toBe(503);
      expect(response.body.status).toBe('error');
      expect(response.body.error.code).toBe('CLUSTER_UNAVAILABLE');
      expect(response.body.error.details).toEqual({ process_id: 'proc-a' });
      const id = response.body.command_id as string;
      expect(typeof id).toBe('string');
      expect(response.body.links.self).toBe(`/api/jobs/${id}`);
      // The bus deadline decided (CLUSTER_UNAVAILABLE), not the job's own timeout (TIMEOUT, 30 s).

      const onB = await api(b.url, `/api/jobs/${id}`);
      expect(onB.status).toBe(200);
      expect(onB.body).toMatchObject({
        state: 'failed',
        node_id: 'ws-042',
        error: { code: 'CLUSTER_UNAVAILABLE' },
      });
      // The requester wrote the runner first (HSETNX): the owner can no longer take the job.
      expect(await runnerField(bed.redis().url, prefix, id)).toBe('-');

      // The owner wakes up and finds the late start call: it must not send the job to the node.
      a.resume();
      const next = await execThroughToTheNode(b, agent);
      expect(agent.execs.map((e) => e.jobId)).toEqual([next]);
      for (const url of [a.url, b.url]) {
        const job = await api(url, `/api/jobs/${id}`);
        expect(job.body).toMatchObject({ state: 'failed', error: { code: 'CLUSTER_UNAVAILABLE' } });
      }
      expect(await runnerField(bed.redis().url, prefix, id)).toBe('-');
    });

    it('gives up a start nobody took when the requester stops: the job ends failed, never runs', async () => {
      const { a, b, prefix, agent } = await ownerAndRequester(adapter, { rpcTimeoutMs: 15_000 });
      await a.pause();
      const accepted = await exec(b.url, 'ws-042', {
        action: 'tools.open_folder',
        params: { path: '/show/sh030' },
        wait: false,
      });
      expect(accepted.status).toBe(202);
      const id = accepted.body.command_id as string;
      // Long before its deadline: the requester stops with the start still unclaimed.
      await b.close();
      servers.splice(servers.indexOf(b), 1);
      expect(await runnerField(bed.redis().url, prefix, id)).toBe('-');
      a.resume();
      await waitFor(async () => {
        const job = await api(a.url, `/api/jobs/${id}`);
        return job.body.state === 'failed' ? true : undefined;
      }, 'the job ended failed');
      const job = await api(a.url, `/api/jobs/${id}`);
      expect(job.body.error).toMatchObject({
        code: 'CLUSTER_UNAVAILABLE',
        details: { process_id: 'proc-b' },
      });
      // The owner, awake again, finds the start given up and leaves the job alone.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(agent.execs.map((e) => e.jobId)).not.toContain(id);
    });

    it('does not send a job cancelled before the owner claimed it: it stays cancelled on both processes', async () => {
      // A deadline far longer than the pause: the owner's own check, not the requester's deadline, decides.
      const { a, b, prefix, agent } = await ownerAndRequester(adapter, { rpcTimeoutMs: 15_000 });
      await a.pause();

      const accepted = await exec(b.url, 'ws-042', {
        action: 'tools.open_folder',
        params: { path: '/show/sh020' },
        wait: false,
      });
      expect(accepted.status).toBe(202);
      expect(accepted.body.state).toBe('running');
      const id = accepted.body.command_id as string;

      // Nobody has claimed it yet: the requester ends it cancelled itself.
      const cancelled = await api(b.url, `/api/jobs/${id}/cancel`, { method: 'POST' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('cancelled');

      a.resume();
      const next = await execThroughToTheNode(b, agent);
      expect(agent.execs.map((e) => e.jobId)).toEqual([next]);
      // The owner found the job no longer running and left it; nobody wrote a runner, and the
      // requester, which saw the job end, has no start left to give up.
      expect(await runnerField(bed.redis().url, prefix, id)).toBeNull();
      expect(
        b.logs.filter((l) => l.command_id === id && l.msg === 'could not end a job that did not start'),
      ).toEqual([]);
      for (const url of [a.url, b.url]) {
        const job = await api(url, `/api/jobs/${id}`);
        expect(job.body).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
      }
      expect(agent.execs.map((e) => e.jobId)).toEqual([next]);
      expect(agent.cancels).toEqual([]);
    });
  },
);
