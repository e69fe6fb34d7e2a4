import { createAgent, resolveAgentConfig, type Agent } from '@openclaw-node/agent';
import { toPlatform, type JobView } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, jobsPlugin } from '@openclaw-node/test-support/agent';
import { cli, waitFor } from '@openclaw-node/test-support/cli';

// The whole stack: the CLI against a real server and real agents running the `jobs` test plugin.
const TOKEN = 'cli-jobs-token-0123456789';
let server: OpenClawServer;
let url: string;
let port: number;
let env: Record<string, string>;
const agents: Agent[] = [];

async function startAgent(
  nodeId: string,
  tags: string[],
  limits = { max_concurrent_jobs: 2, max_queued_jobs: 1 },
) {
  const config = resolveAgentConfig(
    {
      node_id: nodeId,
      server_url: `ws://127.0.0.1:${port}/ws`,
      auth_token: TOKEN,
      plugins: ['jobs'],
      tags,
      health_interval: 0,
      ...limits,
    },
    { env: {}, onWarning: () => undefined },
  );
  const agent = createAgent({
    config,
    logger: pino({ level: 'silent' }),
    registry: { jobs: jobsPlugin },
    platform: toPlatform(process.platform)!,
    backoff: { initialMs: 50, maxMs: 200 },
    health: { helloWaitMs: 0 },
  });
  agents.push(agent);
  agent.start();
  await agent.ready;
  return agent;
}

beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'pipeline', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
    maxTimeoutS: 5,
  });
  ({ url, port } = await server.listen());
  env = { OPENCLAW_SERVER: url, OPENCLAW_TOKEN: TOKEN };
  await startAgent('ws-comp', ['comp']);
  await startAgent('ws-light', ['lighting']);
}, 30_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await server?.close();
});

afterEach(async () => {
  // Leave no job running into the next test.
  const { jobs } = (await (
    await fetch(`${url}/api/jobs?state=running,queued`, { headers: auth() })
  ).json()) as {
    jobs: JobView[];
  };
  for (const job of jobs) await fetch(`${url}${job.links.cancel}`, { method: 'POST', headers: auth() });
});

const auth = () => ({ authorization: `Bearer ${TOKEN}` });
const run = (...argv: string[]) => cli(argv, env);
const jobOf = async (id: string): Promise<JobView> =>
  JSON.parse((await run('job', id, '--json')).stdout) as JobView;

async function startNoWait(...args: string[]): Promise<string> {
  const started = await run('exec', ...args, '--no-wait', '--json');
  expect(started.code).toBe(0);
  return (JSON.parse(started.stdout) as { command_id: string }).command_id;
}

async function untilState(id: string, state: JobView['state']): Promise<JobView> {
  return waitFor(async () => {
    const job = await jobOf(id);
    return job.state === state ? job : undefined;
  }, `job ${id} to be ${state}`);
}

describe('openclaw exec --no-wait, job, jobs', () => {
  it('accepts a job at once and shows it, then its end', async () => {
    const started = await run('exec', 'ws-comp', 'jobs.wait', 'ms=100', 'tag=first', '--no-wait');
    expect(started.code).toBe(0);
    const id = /^Job (\S+) running on ws-comp\.$/m.exec(started.stdout)![1]!;
    expect(started.stdout).toContain(`openclaw job ${id} --follow`);
    const done = await untilState(id, 'succeeded');
    expect(done).toMatchObject({
      node_id: 'ws-comp',
      action: 'jobs.wait',
      requested_by: 'pipeline',
      params: { ms: 100, tag: 'first' },
    });
    const shown = await run('job', id);
    expect(shown.stdout).toMatch(new RegExp(`^${id}  jobs.wait on ws-comp\\n  state      succeeded\\n`));
    expect(shown.stdout).toContain('  result     {"tag":"first"');
  });

  it('follows a job to its end, for people and as JSON lines', async () => {
    const people = await run('exec', 'ws-comp', 'jobs.wait', 'ms=50', 'tag=followed', '--follow');
    expect(people.code).toBe(0);
    expect(people.stdout).toMatch(/^state: running\nstate: succeeded\n\{\n {2}"tag": "followed"/);

    const id = await startNoWait('ws-comp', 'jobs.wait', 'ms=50');
    const lines = await run('job', id, '--follow', '--json');
    expect(lines.code).toBe(0);
    const parsed = lines.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.at(0)).toMatchObject({ seq: 1, type: 'state', data: { state: 'running' } });
    expect(parsed.at(-2)).toMatchObject({ type: 'state', data: { state: 'succeeded' } });
    expect(parsed.at(-1)).toMatchObject({ command_id: id, state: 'succeeded' });
  });

  it('lists jobs with filters, and says how to get the next page', async () => {
    for (let i = 0; i < 3; i++) await run('exec', 'ws-light', 'jobs.wait', 'ms=0');
    const page = await run('jobs', '--node', 'ws-light', '--state', 'succeeded', '--limit', '2');
    expect(page.code).toBe(0);
    const [header, ...rows] = page.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^COMMAND\s+NODE\s+ACTION\s+STATE\s+CREATED\s+DURATION\s+BY$/);
    expect(rows.filter((r) => /^\S+\s+ws-light\s+jobs\.wait\s+succeeded/.test(r))).toHaveLength(2);
    const more = /^More: openclaw jobs (.+)$/m.exec(page.stdout)![1]!;
    const next = await cli(['jobs', ...more.split(' ')], env);
    expect(next.stdout).toContain('ws-light');
    expect((await run('jobs', '--state', 'done')).code).toBe(2);
  });
});

describe('the agent’s concurrency limit and queue, through the CLI', () => {
  it('queues past the limit, refuses with NODE_BUSY past the queue, and cancels queued and running jobs', async () => {
    const a = await startNoWait('ws-comp', 'jobs.wait', 'ms=60000');
    const b = await startNoWait('ws-comp', 'jobs.wait', 'ms=60000');
    const c = await startNoWait('ws-comp', 'jobs.wait', 'ms=0');
    const waiting = await waitFor(async () => {
      const job = await jobOf(c);
      return job.message === "waiting in the node's queue" ? job : undefined;
    }, 'the third job to wait in the node queue');
    expect(waiting.state).toBe('running');
    const busy = await run('exec', 'ws-comp', 'jobs.wait', 'ms=0');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^NODE_BUSY: The node runs 2 jobs \(max_concurrent_jobs: 2\) and 1 wait/);

    const cancelQueued = await run('job', 'cancel', c);
    expect(cancelQueued.stdout).toBe(`Job ${c} cancelled.\n`);
    expect((await jobOf(c)).started_at).not.toBeNull();
    const cancelRunning = await run('cancel', a, '--json');
    expect(JSON.parse(cancelRunning.stdout)).toMatchObject({
      state: 'cancelled',
      error: { code: 'CANCELLED' },
    });
    expect((await run('cancel', a)).code).toBe(1);
    await run('cancel', b);
  });

  it('runs exclusive renders one at a time while other jobs pass the waiting one', async () => {
    const first = await startNoWait('ws-comp', 'jobs.render', 'ms=400', 'tag=r1');
    const second = await startNoWait('ws-comp', 'jobs.render', 'ms=10', 'tag=r2');
    await waitFor(
      async () => ((await jobOf(second)).message ? true : undefined),
      'the second render to wait',
    );
    const other = await run('exec', 'ws-comp', 'jobs.wait', 'ms=10', 'tag=other');
    expect(other.code).toBe(0);
    const r1 = await untilState(first, 'succeeded');
    const r2 = await untilState(second, 'succeeded');
    const { started } = r2.result as { started: number };
    expect(started).toBeGreaterThanOrEqual((r1.result as { finished: number }).finished);
    const otherResult = JSON.parse(other.stdout) as { finished: number };
    expect(otherResult.finished).toBeLessThanOrEqual((r1.result as { finished: number }).finished);
  });

  it.skipIf(process.platform === 'win32')('kills the action’s process tree on cancel', async () => {
    const id = await startNoWait('ws-comp', 'jobs.tree');
    const job = await waitFor(async () => {
      const j = await jobOf(id);
      return j.log_tail.some((l) => l.startsWith('pids ')) ? j : undefined;
    }, 'the pids in the log');
    const [, child, grandchild] = /pids (\d+) (\d+)/
      .exec(job.log_tail.find((l) => l.startsWith('pids '))!)!
      .map(Number);
    expect(isAlive(child!) && isAlive(grandchild!)).toBe(true);
    expect((await run('job', 'cancel', id)).stdout).toBe(`Job ${id} cancelled.\n`);
    await waitFor(
      () => (!isAlive(child!) && !isAlive(grandchild!) ? true : undefined),
      'the tree to be gone',
    );
  });
});

describe('timeouts: the manifest’s, the request’s, the server’s maximum', () => {
  it('uses the manifest timeout, a shorter one from the request, and caps a longer one', async () => {
    const manifest = await run('exec', 'ws-light', 'jobs.render', 'ms=0', '--json');
    expect((await jobOf(JSON.parse(manifest.stdout).command_id as string)).timeout_s).toBe(2);
    const capped = await run('exec', 'ws-light', 'jobs.wait', 'ms=0', '--timeout', '100', '--json');
    expect((await jobOf(JSON.parse(capped.stdout).command_id as string)).timeout_s).toBe(5);
    const short = await run('exec', 'ws-light', 'jobs.wait', 'ms=60000', '--timeout', '0.3', '--json');
    expect(short.code).toBe(1);
    const body = JSON.parse(short.stdout) as { status: string; error: { code: string }; command_id: string };
    expect(body).toMatchObject({ status: 'timeout', error: { code: 'TIMEOUT' } });
    expect(await jobOf(body.command_id)).toMatchObject({ state: 'timed_out', timeout_s: 0.3 });
  });

  it('times a render out at its manifest timeout', async () => {
    const run2 = await run('exec', 'ws-light', 'jobs.render', 'ms=60000');
    expect(run2.code).toBe(1);
    expect(run2.stderr).toMatch(/^TIMEOUT: jobs\.render did not finish within 2 s/);
  });
});

describe('fan-out, idempotency and the offline queue through the CLI', () => {
  it('fans out by tags and to every node, waiting for all', async () => {
    const comp = await run('exec', '--tags', 'comp', 'jobs.wait', 'ms=0', 'tag=fan', '--wait');
    expect(comp.code).toBe(0);
    expect(comp.stdout).toMatch(
      /^Batch \S+: jobs\.wait on 1 node\(s\)\nNODE\s+STATE\s+COMMAND\s+RESULT\nws-comp\s+succeeded/,
    );
    const everyone = JSON.parse((await run('exec', '--all', 'jobs.wait', 'ms=0', '--json')).stdout) as {
      jobs: { node_id: string }[];
    };
    expect(everyone.jobs.map((j) => j.node_id).sort()).toEqual(['ws-comp', 'ws-light']);
    const none = await run('exec', '--tags', 'fx', 'jobs.wait');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^NODE_NOT_FOUND: No connected node matches the target tags=fx/);
    expect((await run('exec', '--all', '--tags', 'x', 'jobs.wait')).code).toBe(2);
  });

  it('returns the original job for a repeated --idempotency-key', async () => {
    const key = `publish-${Date.now()}`;
    const first = await run('exec', 'ws-light', 'jobs.wait', 'ms=0', '--idempotency-key', key, '--json');
    const again = await run('exec', 'ws-light', 'jobs.wait', 'ms=0', '--idempotency-key', key, '--json');
    expect(JSON.parse(again.stdout).command_id).toBe(JSON.parse(first.stdout).command_id);
    const reused = await run('exec', 'ws-light', 'jobs.wait', 'ms=1', '--idempotency-key', key);
    expect(reused.code).toBe(1);
    expect(reused.stderr).toMatch(/^IDEMPOTENCY_KEY_REUSED: /);
  });

  it('queues a job for a node that is not connected and delivers it when its agent starts', async () => {
    const queued = await run('exec', 'ws-late', 'jobs.wait', 'ms=0', 'tag=late', '--queue', '--ttl', '60');
    expect(queued.code).toBe(0);
    const id = /^Job (\S+) queued for ws-late/m.exec(queued.stdout)![1]!;
    expect((await jobOf(id)).state).toBe('queued');
    await startAgent('ws-late', []);
    const done = await untilState(id, 'succeeded');
    expect(done.result).toMatchObject({ tag: 'late' });
    expect((await run('exec', 'ws-gone', 'jobs.wait', '--ttl', '5')).code).toBe(2);
  });
});
