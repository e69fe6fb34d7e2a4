// The requester's deadline for a start it told the owner about: lost tells, late tells, long jobs,
// and a requester that stops with a deadline pending.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers } from './child-server.js';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import { clientIds, endedJob, killClient, listedOn, runnerField, sleep } from './told-start-helpers.js';

const bed = useClusterBed();
const servers: TestServer[] = [];
afterEach(async () => {
  await stopChildServers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe.skipIf(skipWithoutRedis || process.platform !== 'linux')('the deadline of a told start', () => {
  it('a tell lost while the owner was cut off: the requester ends the job at rpcTimeoutMs, and a late start is refused', async () => {
    const url = bed.redis().url;
    const prefix = freshPrefix();
    const settings = { ...FAST_CLUSTER, heartbeatMs: 200, processTtlMs: 20_000, rpcTimeoutMs: 1500 };
    const a = await startChildServer(url, prefix, 'proc-a', settings);
    const feedsOfA = await clientIds(url, 'openclaw-jobs-events');
    expect(feedsOfA).toHaveLength(1);
    const b = await startClusterServer(url, prefix, 'proc-b', { cluster: settings });
    servers.push(b);
    const agent = await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
    await listedOn(b.url, 'ws-042');

    await a.pause();
    await killClient(url, feedsOfA[0]!);
    const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
    expect(response.status).toBe(202);
    const id = response.body.command_id as string;
    a.resume();
    const job = await endedJob(b, id);
    expect({ state: job.state, code: job.error?.code }).toEqual({
      state: 'failed',
      code: 'CLUSTER_UNAVAILABLE',
    });
    expect(await runnerField(url, prefix, id)).toBe('-');
    // The start arrives late after all (e.g. a replayed message): the owner must not run it.
    const redis = new Redis(url);
    try {
      const connectionId = (
        JSON.parse((await redis.hget(clusterKeys(prefix).nodes, 'ws-042'))!) as { connection_id: string }
      ).connection_id;
      const tell = {
        t: 'tell',
        from: 'proc-b',
        to: 'proc-a',
        method: 'start',
        args: {
          command_id: id,
          node_id: 'ws-042',
          connection_id: connectionId,
          params: {},
          timeout_ms: 5000,
        },
      };
      await redis.publish(`${prefix}cluster:process:proc-a:inbox`, JSON.stringify(tell));
    } finally {
      await redis.quit();
    }
    const next = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
    expect(next.body.status).toBe('success');
    expect(agent.execs.map((e) => e.jobId)).toEqual([next.body.command_id]);
    expect((await api(a.url, `/api/jobs/${id}`)).body.state).toBe('failed');
  });

  it('a job told with wait:false that runs past rpcTimeoutMs is not failed by the requester', async () => {
    const [a, b] = await bed.twoServers({ cluster: { rpcTimeoutMs: 300 } });
    const agent = await bed.agent(a, {
      nodeId: 'ws-042',
      onExec: async () => {
        await sleep(1200);
        return { ok: true, result: { pong: true } } as never;
      },
    });
    await listedOn(b.url, 'ws-042');
    const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
    expect(response.status).toBe(202);
    const id = response.body.command_id as string;
    const job = await endedJob(b, id);
    expect(job.state).toBe('succeeded');
    expect(agent.execs).toHaveLength(1);
    expect(b.logs.filter((l) => l.command_id === id)).toEqual([]);
  });

  it('a requester that stops with a start unclaimed, whose owner then dies: the job does not stay running forever', async () => {
    const url = bed.redis().url;
    const prefix = freshPrefix();
    // Fast to be reaped, slow to give a start up.
    const settings = { ...FAST_CLUSTER, rpcTimeoutMs: 5000 };
    const c = await startClusterServer(url, prefix, 'proc-c', { cluster: settings });
    servers.push(c);
    const a = await startChildServer(url, prefix, 'proc-a', {
      ...settings,
      processTtlMs: 3000,
      heartbeatMs: 200,
    });
    const b = await startClusterServer(url, prefix, 'proc-b', { cluster: settings });
    await bed.agent({ url: a.url } as TestServer, { nodeId: 'ws-042' });
    await listedOn(b.url, 'ws-042');

    await a.pause();
    const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {}, wait: false });
    expect(response.status).toBe(202);
    const id = response.body.command_id as string;
    await b.close(); // a rolling restart of the requester, well within its deadline
    process.kill(a.pid, 'SIGKILL'); // the owner never came back
    await waitFor(
      async () => {
        const nodes = (await api(c.url, '/api/nodes')).body.nodes as { node_id: string }[];
        return nodes.some((n) => n.node_id === 'ws-042') ? undefined : true;
      },
      'the dead owner reaped',
      30_000,
    );
    const job = await endedJob(c, id, 'the job to end (nobody runs it any more)');
    expect(job.state).not.toBe('running');
  }, 60_000);
});
