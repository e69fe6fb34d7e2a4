import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { openJobStore } from '../../src/jobs/store/open-job-store.js';
import { useClusterBed } from './cluster-harness.js';

const bed = useClusterBed();

const listedOn = (server: TestServer, nodeId: string): Promise<true> =>
  waitFor(async () => {
    const nodes = (await api(server.url, '/api/nodes')).body.nodes as { node_id: string }[];
    return nodes.some((n) => n.node_id === nodeId) ? true : undefined;
  }, `${nodeId} listed on ${server.url}`);

/** Every message published under `prefix` while it listens: [channel, message]. */
async function listen(
  url: string,
  prefix: string,
): Promise<{ heard: [string, string][]; stop: () => Promise<void> }> {
  const client = new Redis(url);
  const heard: [string, string][] = [];
  client.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    heard.push([channel.toString(), message.toString('latin1')]);
  });
  await client.psubscribe(`${prefix}*`);
  return { heard, stop: () => client.quit().then(() => undefined) };
}

describe.skipIf(skipWithoutRedis)('calls between server processes', () => {
  it("a start rides on the job's first event, addressed to the owner; no inbox message, no reply", async () => {
    const { prefix, servers } = await bed.servers(['proc-a', 'proc-b', 'proc-c']);
    const [a, b, c] = servers as [TestServer, TestServer, TestServer];
    await bed.agent(a, { nodeId: 'ws-042' });
    await listedOn(b, 'ws-042');
    await listedOn(c, 'ws-042');
    const { heard, stop } = await listen(bed.redis().url, prefix);
    let commandId = '';
    try {
      const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('success');
      commandId = response.body.command_id as string;
    } finally {
      await stop();
    }
    const inbox = (id: string): unknown[] =>
      heard.filter(([channel]) => channel === `${prefix}cluster:process:${id}:inbox`);
    for (const id of ['proc-a', 'proc-b', 'proc-c']) expect(inbox(id)).toEqual([]);
    // The job's first event, which every process reads anyway, carries the start for a only.
    const first = heard.filter(
      ([channel, m]) => channel === `${prefix}events` && m.includes(`"seq":1,"job_id":"${commandId}"`),
    );
    expect(first).toHaveLength(1);
    const tail = first[0]![1].split('\n')[3]!;
    expect(tail.startsWith('>proc-a ')).toBe(true);
    expect(JSON.parse(tail.slice('>proc-a '.length))).toMatchObject({
      t: 'tell',
      from: 'proc-b',
      to: 'proc-a',
    });
    // Nothing of it is broadcast on the Socket.IO adapter's channels.
    const broadcast = heard.filter(([channel]) => channel.includes('socket.io'));
    expect(broadcast.filter(([, m]) => m.includes('"t":"call"') || m.includes('"t":"reply"'))).toEqual([]);
  });

  it('a start published by someone else with params outside the schema: claimed, ended failed, never sent', async () => {
    const { prefix, servers } = await bed.servers(['proc-a']);
    const a = servers[0]!;
    const agent = await bed.agent(a, { nodeId: 'ws-042' });
    const url = bed.redis().url;
    const redis = new Redis(url);
    const store = await openJobStore({ kind: 'redis', redisUrl: url, redisKeyPrefix: prefix });
    const { heard, stop } = await listen(url, prefix);
    try {
      // A job stored as another process would before handing it over (running, no runner yet).
      const { job } = await store.create({
        command_id: 'forged-1',
        node_id: 'ws-042',
        action: 'tools.render',
        params: { script: '/shows/x/comp.nk' },
        state: 'running',
      });
      expect(job.state).toBe('running');
      const record = JSON.parse((await redis.hget(`${prefix}cluster:nodes`, 'ws-042'))!) as {
        connection_id: string;
      };
      const call = {
        t: 'call',
        from: 'proc-x',
        to: 'proc-a',
        id: 'forged-call',
        method: 'start',
        args: {
          command_id: 'forged-1',
          node_id: 'ws-042',
          connection_id: record.connection_id,
          params: { script: '/shows/x/comp.nk', threads: 'all of them' },
          timeout_ms: 5000,
        },
      };
      await redis.publish(`${prefix}cluster:process:proc-a:inbox`, JSON.stringify(call));
      const ended = await waitFor(async () => {
        const r = await api(a.url, '/api/jobs/forged-1');
        return r.body.state === 'failed' ? (r.body as Record<string, unknown>) : undefined;
      }, 'the forged job ended');
      expect((ended.error as { code: string }).code).toBe('INVALID_PARAMS');
      expect(agent.execs).toEqual([]);
      // The claim answered the caller: the job was a's to end, and a ended it.
      const replies = heard.filter(([channel]) => channel === `${prefix}cluster:process:proc-x:inbox`);
      expect(replies.map(([, m]) => JSON.parse(m) as unknown)).toEqual([
        expect.objectContaining({ t: 'reply', id: 'forged-call', ok: true }),
      ]);
      expect(await redis.hget(`${prefix}job:forged-1`, '_r')).toBe('proc-a');
    } finally {
      await stop();
      await store.close();
      await redis.quit();
    }
  });
  it('a start told for a node whose connection is gone: taken and ended failed by the owner, never sent', async () => {
    const { prefix, servers } = await bed.servers(['proc-a']);
    const a = servers[0]!;
    const agent = await bed.agent(a, { nodeId: 'ws-042' });
    const url = bed.redis().url;
    const redis = new Redis(url);
    const store = await openJobStore({ kind: 'redis', redisUrl: url, redisKeyPrefix: prefix });
    try {
      await store.create({
        command_id: 'told-1',
        node_id: 'ws-042',
        action: 'tools.ping',
        params: {},
        state: 'running',
      });
      // Told, not asked: nobody waits for an answer, so the owner must end what it cannot run.
      const tell = {
        t: 'tell',
        from: 'proc-x',
        to: 'proc-a',
        method: 'start',
        args: {
          command_id: 'told-1',
          node_id: 'ws-042',
          connection_id: 'a-connection-that-left',
          params: {},
          timeout_ms: 5000,
        },
      };
      await redis.publish(`${prefix}cluster:process:proc-a:inbox`, JSON.stringify(tell));
      const ended = await waitFor(async () => {
        const r = await api(a.url, '/api/jobs/told-1');
        return r.body.state === 'failed' ? (r.body as Record<string, unknown>) : undefined;
      }, 'the told job ended');
      expect((ended.error as { code: string }).code).toBe('NODE_DISCONNECTED');
      expect(await redis.hget(`${prefix}job:told-1`, '_r')).toBe('proc-a');
      expect(agent.execs).toEqual([]);
    } finally {
      await store.close();
      await redis.quit();
    }
  });

  it('drops garbage on an inbox without an unhandled rejection (which ends a Node 20 process)', async () => {
    const { prefix, servers } = await bed.servers(['proc-a']);
    const a = servers[0]!;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const redis = new Redis(bed.redis().url);
    try {
      const inbox = `${prefix}cluster:process:proc-a:inbox`;
      const garbage = [
        'not json',
        'null',
        '[]',
        '42',
        '{"t":"call","to":"proc-a"}',
        '{"t":"reply","to":"proc-a","id":{},"ok":false,"error":{"code":"x","message":"y"}}',
        '{"t":"node","from":"x","record":null}',
        '{"t":"gone","from":"x"}',
        '{"t":"call","to":"proc-a","from":"x","id":"1","method":"start","args":null}',
        '{"t":"tell","to":"proc-a","from":"x","method":"start","args":null}',
        '{"t":"tell","to":"proc-a","from":"x","method":"nope","args":{}}',
        '{"t":"tell","to":"proc-a","from":{"toString":1},"method":"start","args":{}}',
        '{"t":"call","to":"proc-a","from":"x","id":"2","method":{"toString":1},"args":{}}',
        // The one that kills it: `from` cannot be made a string.
        '{"t":"call","to":"proc-a","from":{"toString":1},"id":"3","method":"deliver","args":{}}',
      ];
      for (const message of garbage) await redis.publish(inbox, message);
      // Give the process a few turns to handle them, then see that it still answers.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await waitFor(
        async () => ((await api(a.url, '/api/health')).status === 200 ? true : undefined),
        'health',
      );
      expect(unhandled.map((r) => String(r))).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await redis.quit();
    }
  });
});
