// Forged tells on an owner's inbox and on the job events channel.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { api, exec, waitFor } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { openJobStore } from '../../src/jobs/index.js';
import { clusterKeys } from '../../src/cluster/cluster-keys.js';
import { useClusterBed } from './cluster-harness.js';
import { listedOn, sleep } from './told-start-helpers.js';

const bed = useClusterBed();

describe.skipIf(skipWithoutRedis)('forged tells', () => {
  it('a tell naming a huge unknown method is logged bounded, not with the whole method', async () => {
    const { prefix, servers } = await bed.servers(['proc-a']);
    const a = servers[0]!;
    const redis = new Redis(bed.redis().url);
    try {
      const method = 'm'.repeat(1_000_000);
      const tell = { t: 'tell', from: 'proc-x', to: 'proc-a', method, args: {} };
      await redis.publish(`${prefix}cluster:process:proc-a:inbox`, JSON.stringify(tell));
      const line = await waitFor(
        () => a.logs.find((l) => l.msg === 'cluster message failed'),
        'the tell to be logged',
      );
      expect(JSON.stringify(line).length).toBeLessThan(10_000);
    } finally {
      await redis.quit();
    }
  });

  it('tells with wrong types, for other processes, for missing or ended jobs: no crash, nothing run twice or unclaimed', async () => {
    const { prefix, servers } = await bed.servers(['proc-a', 'proc-b']);
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const agent = await bed.agent(a, { nodeId: 'ws-042' });
    await listedOn(b.url, 'ws-042');
    const url = bed.redis().url;
    const redis = new Redis(url);
    const store = await openJobStore({ kind: 'redis', redisUrl: url, redisKeyPrefix: prefix });
    const done = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
    expect(done.body.status).toBe('success');
    const doneId = done.body.command_id as string;
    try {
      // The real connection id of the node, as every process learns it from the announcements.
      const record = JSON.parse((await redis.hget(clusterKeys(prefix).nodes, 'ws-042'))!) as {
        connection_id: string;
      };
      const connectionId = record.connection_id;
      expect(typeof connectionId).toBe('string');
      await store.create({
        command_id: 'queued-1',
        node_id: 'ws-042',
        action: 'tools.ping',
        params: {},
        state: 'queued',
      });
      const bad: unknown[] = [
        { t: 'tell', from: 'x', to: 'proc-a', method: 'start', args: 'nope' },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'start', args: [] },
        {
          t: 'tell',
          from: 'x',
          to: 'proc-a',
          method: 'start',
          args: { command_id: { a: 1 }, node_id: ['ws-042'] },
        },
        {
          t: 'tell',
          from: 'x',
          to: 'proc-a',
          method: 'start',
          args: { command_id: 'x'.repeat(100_000), node_id: 'ws-042', connection_id: connectionId },
        },
        {
          t: 'tell',
          from: 'x',
          to: 'proc-a',
          method: 'start',
          args: {
            command_id: 'no-such-job',
            node_id: 'ws-042',
            connection_id: connectionId,
            params: {},
            timeout_ms: 5,
          },
        },
        {
          t: 'tell',
          from: 'x',
          to: 'proc-a',
          method: 'start',
          args: {
            command_id: doneId,
            node_id: 'ws-042',
            connection_id: connectionId,
            params: {},
            timeout_ms: 5000,
          },
        },
        {
          t: 'tell',
          from: 'x',
          to: 'proc-a',
          method: 'start',
          args: {
            command_id: 'queued-1',
            node_id: 'ws-042',
            connection_id: connectionId,
            params: {},
            timeout_ms: 5000,
          },
        },
        { t: 'tell', from: 'x', to: 'proc-b', method: 'start', args: { command_id: 'queued-1' } },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'cancel', args: null },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'held-params', args: null },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'deliver', args: null },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'replace', args: null },
        { t: 'tell', from: 'x', to: 'proc-a', method: 'toString', args: {} },
        { t: 'tell', from: 'x', to: 'proc-a', method: '__proto__', args: {} },
        { t: 'tell', from: 'proc-a', to: 'proc-a', method: 'start', args: {} },
      ];
      for (const m of bad) await redis.publish(`${prefix}cluster:process:proc-a:inbox`, JSON.stringify(m));
      // On the events channel, with a hand-over tail after a seq-1 event (stream id in the future
      // would break the feed for good, so a plausible one).
      const evId = `${Date.now()}-999`;
      const ev = JSON.stringify({
        seq: 1,
        job_id: 'ghost',
        type: 'state',
        at: new Date().toISOString(),
        data: { state: 'running' },
      });
      for (const m of bad)
        await redis.publish(`${prefix}events`, `${evId}\nw\n${ev}\n>proc-a ${JSON.stringify(m)}`);
      await redis.publish(`${prefix}events`, `${Date.now()}-1000\nw\n${ev}\n>proc-a not json`);
      await redis.publish(`${prefix}events`, `${Date.now()}-1001\nw\n${ev}\n> `);
      await redis.publish(`${prefix}events`, `${Date.now()}-1002\nw\n${ev}\n>proc-a`);
      await sleep(500);
      // Both processes still serve, the node ran exactly the one real job.
      const again = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(again.body.status).toBe('success');
      expect(agent.execs.map((e) => e.jobId)).toEqual([doneId, again.body.command_id]);
      expect((await api(a.url, '/api/jobs/queued-1')).body.state).toBe('queued');
      expect((await api(a.url, `/api/jobs/${doneId}`)).body.state).toBe('succeeded');
    } finally {
      await store.close();
      await redis.quit();
    }
  });
});
