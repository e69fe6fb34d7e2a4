import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { api, exec, toolsManifest, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { FAST_CLUSTER, freshPrefix, startClusterServer, useClusterBed } from './cluster-harness.js';
import { startChildServer, stopChildServers } from './child-server.js';

const bed = useClusterBed();
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const SECRET = 'hunter2-do-not-store-9f31';

/** The tools plugin and a `login` action whose password the schema marks secret. */
const plugins = [
  toolsManifest({
    actions: {
      ...toolsManifest().actions,
      login: {
        description: 'Log in to the render farm',
        params: {
          type: 'object',
          required: ['user', 'password'],
          additionalProperties: false,
          properties: { user: { type: 'string' }, password: { type: 'string', writeOnly: true } },
        },
      },
    },
  }),
];

const listedOn = (server: TestServer, nodeId: string): Promise<true> =>
  waitFor(async () => {
    const nodes = (await api(server.url, '/api/nodes')).body.nodes as { node_id: string }[];
    return nodes.some((n) => n.node_id === nodeId) ? true : undefined;
  }, `${nodeId} listed`);

interface Seen {
  args: string[];
  /** 'lua' for a command a script ran, else the client's address. */
  source: string;
}

/** The arguments of a MONITOR line as redis-cli prints them: `"a" "b\"c"` (\\, \" and \xHH escapes). */
function monitorArgs(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, quoted]) =>
    quoted!.replace(/\\(x[0-9a-f]{2}|.)/g, (_, e: string) =>
      e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === 'n' ? '\n' : e,
    ),
  );
}

/**
 * Every command Redis runs while `work` does, with where it came from. Through redis-cli: ioredis's
 * own MONITOR can fail with "Command queue state error" when a monitored line comes in the packet of
 * MONITOR's OK, as it does with a cluster's heartbeats going on.
 */
async function monitored(url: string, work: () => Promise<void>): Promise<Seen[]> {
  const { port } = new URL(url);
  const cli = spawn('redis-cli', ['-p', port, 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise((resolve) => cli.once('exit', resolve));
  await new Promise<void>((resolve) => cli.stdout.once('data', () => resolve()));
  try {
    await work();
    // MONITOR delivers after the command ran: let the last ones arrive.
    await new Promise((resolve) => setTimeout(resolve, 150));
  } finally {
    cli.kill();
    await exited;
  }
  return stdout
    .split('\n')
    .map((line) => /^\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, source, rest]) => ({ source: source!, args: monitorArgs(rest!) }));
}

describe.skipIf(skipWithoutRedis)('handing a job to the process holding its node', () => {
  it("sends the start with the job's first event when the params hold no secret: one message, no reply", async () => {
    const [a, b] = await bed.twoServers();
    await bed.agent(a, { nodeId: 'ws-042', hello: { plugins } });
    await listedOn(b, 'ws-042');
    let commandId = '';
    const seen = await monitored(bed.redis().url, async () => {
      const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      expect(response.body.status).toBe('success');
      commandId = response.body.command_id as string;
    });
    const published = seen.filter((c) => c.args[0]?.toLowerCase() === 'publish');
    // Nothing on an inbox: the start rides on the create's event, and the claim answers nobody.
    expect(published.filter((c) => c.args[1]?.endsWith(':inbox'))).toEqual([]);
    const first = published.filter((c) => c.args[2]?.includes(`"seq":1,"job_id":"${commandId}"`));
    expect(first.map((c) => [c.source, c.args[1]?.endsWith(':events')])).toEqual([['lua', true]]);
    const [, , event, handover] = first[0]!.args[2]!.split('\n');
    expect(JSON.parse(event!)).toMatchObject({ type: 'state', data: { state: 'running' } });
    expect(handover!.startsWith('>proc-a ')).toBe(true);
    expect(JSON.parse(handover!.slice('>proc-a '.length))).toMatchObject({
      t: 'tell',
      method: 'start',
      from: 'proc-b',
      to: 'proc-a',
      args: { command_id: commandId, node_id: 'ws-042' },
    });
  });

  it('sends a secret param only in the published call, never as a script argument, and stores it redacted', async () => {
    const [a, b] = await bed.twoServers();
    // Its result does not echo the params (the fake agent's default would put the secret there).
    const agent = await bed.agent(a, {
      nodeId: 'ws-042',
      hello: { plugins },
      onExec: () => ({ ok: true, result: { logged_in: true } }),
    });
    await listedOn(b, 'ws-042');
    let commandId = '';
    const seen = await monitored(bed.redis().url, async () => {
      const response = await exec(b.url, 'ws-042', {
        action: 'tools.login',
        params: { user: 'comp', password: SECRET },
      });
      expect(response.body.status).toBe('success');
      commandId = response.body.command_id as string;
    });
    const carrying = seen.filter((c) => c.args.some((arg) => arg.includes(SECRET)));
    // One command holds the secret: the start call, published by b itself (a client, not a script,
    // whose arguments Redis may keep in its SLOWLOG).
    expect(carrying.map((c) => [c.args[0]?.toLowerCase(), c.source === 'lua'])).toEqual([['publish', false]]);
    expect(agent.execs.at(-1)?.params).toEqual({ user: 'comp', password: SECRET });
    const stored = await api(b.url, `/api/jobs/${commandId}`);
    expect(stored.body.params).toEqual({ user: 'comp', password: '[redacted]' });
  });

  it('publishes nothing for a request answered by an earlier job of the same Idempotency-Key', async () => {
    const [a, b] = await bed.twoServers();
    const agent = await bed.agent(a, { nodeId: 'ws-042', hello: { plugins } });
    await listedOn(b, 'ws-042');
    const send = () =>
      api(b.url, '/api/nodes/ws-042/exec', {
        body: { action: 'tools.ping', params: {} },
        headers: { 'Idempotency-Key': 'ping-once-0001' },
      });
    const first = await send();
    expect(first.body.status).toBe('success');
    const seen = await monitored(bed.redis().url, async () => {
      const again = await send();
      expect(again.body.command_id).toBe(first.body.command_id);
    });
    expect(seen.filter((c) => c.args[1]?.endsWith(':inbox'))).toEqual([]);
    expect(seen.filter((c) => c.args.some((arg) => arg.includes('\n>proc-a ')))).toEqual([]);
    expect(agent.execs).toHaveLength(1);
  });
});

describe.skipIf(skipWithoutRedis)('a job handed over in its create', () => {
  afterEach(() => stopChildServers());

  it('gives up nothing once the job ended: no runner written after the deadline of its start', async () => {
    const [a, b] = await bed.twoServers({ cluster: { rpcTimeoutMs: 300 } });
    await bed.agent(a, { nodeId: 'ws-042', hello: { plugins } });
    await listedOn(b, 'ws-042');
    const seen = await monitored(bed.redis().url, async () => {
      for (let i = 0; i < 5; i++) {
        const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
        expect(response.body.status).toBe('success');
      }
      // Past every start's deadline: a requester that kept them would try to give each up now.
      await new Promise((resolve) => setTimeout(resolve, 600));
    });
    const claims = seen.filter((c) => c.args[0]?.toLowerCase() === 'hset' && c.args[2] === '_r');
    expect(claims.map((c) => c.args[3])).toEqual(['proc-a', 'proc-a', 'proc-a', 'proc-a', 'proc-a']);
    expect(seen.filter((c) => c.args[0]?.toLowerCase() === 'hsetnx')).toEqual([]);
  });

  it("answers the caller even when the job ends before the create's own answer is back", async () => {
    // The owner and its agent in another process, answering at once: the owner hears the call while
    // the create's script runs and can end the job before the requester has read the create's
    // reply, so the job's end event may reach the requester first.
    const prefix = freshPrefix();
    const a = await startChildServer(bed.redis().url, prefix, 'proc-a', FAST_CLUSTER, 'ws-042');
    const b = await startClusterServer(bed.redis().url, prefix, 'proc-b');
    servers.push(b);
    await listedOn(b, 'ws-042');
    expect(a.url).not.toBe(b.url);
    // The requester busy (its event loop held 3 ms at a time, as under load): what Redis sends it
    // piles up, and the job's two events are read together.
    const busy = setInterval(() => {
      const until = performance.now() + 3;
      while (performance.now() < until);
    }, 1);
    try {
      for (let i = 0; i < 60; i++) {
        const response = await exec(
          b.url,
          'ws-042',
          { action: 'tools.ping', params: {} },
          { signal: AbortSignal.timeout(4000) },
        );
        expect(response.body.status).toBe('success');
      }
    } finally {
      clearInterval(busy);
    }
  }, 60_000);
});
