import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  startServer,
  toolsManifest,
  waitFor,
  type FakeAgent,
  type Json,
  type TestServer,
} from '@openclaw-node/test-support/server';

let t: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  agents.splice(0).forEach((a) => a.close());
  await t?.close();
  t = undefined;
});

async function agent(...args: Parameters<typeof connectAgent>): Promise<FakeAgent> {
  const a = await connectAgent(...args);
  agents.push(a);
  return a;
}

const job = async (id: string): Promise<Json> => (await api(t!.url, `/api/jobs/${id}`)).body;
const stateOf = async (id: string): Promise<string> => (await job(id)).state as string;
const LIMITS = { limits: { maxConcurrentJobs: 1, maxQueuedJobs: 1 } };

describe('offline delivery ("queue": true)', () => {
  it('answers 202 queued for a node that is not connected, and delivers when it connects', async () => {
    t = await startServer();
    const { status, body } = await exec(t.url, 'ws-asleep', {
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
      queue: true,
      ttl: 3600,
    });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'accepted', node_id: 'ws-asleep', state: 'queued' });
    const expires = Date.parse(body.expires_at as string) - Date.now();
    expect(expires).toBeGreaterThan(3590_000);
    expect(expires).toBeLessThanOrEqual(3600_000);
    const id = body.command_id as string;
    expect(await job(id)).toMatchObject({ state: 'queued', started_at: null, timeout_s: 30 });

    const a = await agent(t.url, { nodeId: 'ws-asleep', accept: true, hello: LIMITS, onExec: () => 'never' });
    await waitFor(() => (a.execs.length ? true : undefined), 'delivery');
    expect(a.execs[0]).toEqual({
      jobId: id,
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
      timeoutMs: 30_000,
    });
    await waitFor(async () => ((await stateOf(id)) === 'running' ? true : undefined), 'running');
    a.answer(id, { ok: true, result: 'opened' });
    await waitFor(async () => ((await stateOf(id)) === 'succeeded' ? true : undefined), 'succeeded');
  });

  for (const [style, accept] of [
    ['job:accepted then job:started (agents before 0.2)', true],
    ['one job:accepted with started: true', 'started'],
  ] as const) {
    it(`counts a delivered job as running from ${style}`, async () => {
      t = await startServer();
      const { body } = await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true });
      const id = body.command_id as string;
      const a = await agent(t.url, { nodeId: 'ws-asleep', accept, hello: LIMITS, onExec: () => 'never' });
      await waitFor(async () => ((await stateOf(id)) === 'running' ? true : undefined), 'running');
      a.answer(id, { ok: true, result: 'pong' });
      await waitFor(async () => ((await stateOf(id)) === 'succeeded' ? true : undefined), 'succeeded');
    });
  }

  it('drops a job:accepted that says both queued and started (the job is not counted as delivered)', async () => {
    t = await startServer();
    const { body } = await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true });
    const id = body.command_id as string;
    const a = await agent(t.url, {
      nodeId: 'ws-asleep',
      accept: { raw: (jobId) => ({ jobId, queued: true, started: true }) },
      hello: LIMITS,
      onExec: () => 'never',
    });
    await waitFor(() => (a.execs.length ? true : undefined), 'delivery');
    await new Promise((r) => setTimeout(r, 200));
    expect(await stateOf(id)).toBe('queued');
    expect(a.connected).toBe(true);
  });

  it('counts a job as delivered only when the agent accepts it: a disconnect before that keeps it queued', async () => {
    t = await startServer();
    const { body } = await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true });
    const id = body.command_id as string;
    // Receives the exec but never accepts it (and has no limits): gone before delivery counted.
    const flaky = await agent(t.url, { nodeId: 'ws-asleep', hello: LIMITS, onExec: () => 'never' });
    await waitFor(() => (flaky.execs.length ? true : undefined), 'first delivery');
    expect(await stateOf(id)).toBe('queued');
    flaky.close();
    await waitFor(
      async () => ((await api(t!.url, '/api/nodes')).body.count === 0 ? true : undefined),
      'gone',
    );
    expect(await stateOf(id)).toBe('queued');

    const steady = await agent(t.url, { nodeId: 'ws-asleep', accept: true, hello: LIMITS });
    await waitFor(async () => ((await stateOf(id)) === 'succeeded' ? true : undefined), 'redelivery');
    expect(steady.execs.map((e) => e.jobId)).toEqual([id]);
  });

  it('delivers oldest first, no more at once than the node reported it can hold', async () => {
    t = await startServer();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true })).body.command_id as string,
      );
    }
    const a = await agent(t.url, { nodeId: 'ws-asleep', accept: true, hello: LIMITS, onExec: () => 'never' });
    await waitFor(() => (a.execs.length === 2 ? true : undefined), 'two deliveries');
    expect((await api(t.url, '/api/nodes/ws-asleep')).body.limits).toEqual({
      max_concurrent_jobs: 1,
      max_queued_jobs: 1,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(a.execs.map((e) => e.jobId)).toEqual(ids.slice(0, 2));
    a.answer(ids[0]!, { ok: true, result: 1 });
    await waitFor(() => (a.execs.length === 3 ? true : undefined), 'the third after a slot freed');
    expect(a.execs[2]!.jobId).toBe(ids[2]);
  });

  it('keeps a job queued when the node answers NODE_BUSY, and delivers it later', async () => {
    t = await startServer();
    let busy = true;
    const { body } = await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true });
    const a = await agent(t.url, {
      nodeId: 'ws-asleep',
      hello: LIMITS,
      onExec: () =>
        busy ? { ok: false, error: { code: 'NODE_BUSY', message: 'full' } } : { ok: true, result: 'finally' },
    });
    await waitFor(() => (a.execs.length ? true : undefined), 'first try');
    await new Promise((r) => setTimeout(r, 50));
    expect(await stateOf(body.command_id)).toBe('queued');
    busy = false;
    const done = await waitFor(async () => {
      const j = await job(body.command_id);
      return j.state === 'succeeded' ? (j as Record<string, Json>) : undefined;
    }, 'the retry');
    expect(done.result).toBe('finally');
  });

  it('fails an immediate job with 429 NODE_BUSY', async () => {
    t = await startServer();
    await agent(t.url, {
      nodeId: 'ws-001',
      hello: LIMITS,
      onExec: () => ({ ok: false, error: { code: 'NODE_BUSY', message: "The node's job queue is full" } }),
    });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping' });
    expect(status).toBe(429);
    expect(body.error.code).toBe('NODE_BUSY');
    expect(await stateOf(body.command_id)).toBe('failed');
  });

  it('expires a job whose node does not connect within its ttl', async () => {
    t = await startServer({ expireIntervalMs: 50 });
    const { body } = await exec(t.url, 'ws-asleep', { action: 'tools.ping', queue: true, ttl: 0.2 });
    const expired = await waitFor(async () => {
      const j = await job(body.command_id);
      return j.state === 'expired' ? (j as Record<string, Json>) : undefined;
    }, 'expiry');
    expect(expired.error.code).toBe('JOB_EXPIRED');
    const a = await agent(t.url, { nodeId: 'ws-asleep', accept: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(a.execs).toEqual([]);
  });

  it('just runs a queued job on a connected node, waiting for its result', async () => {
    t = await startServer();
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, hello: LIMITS });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping', queue: true, ttl: 60 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'success', result: { echo: {} } });
    expect(a.execs).toHaveLength(1);
  });

  it('checks params of a queued job against the manifest the node advertised when last seen', async () => {
    t = await startServer();
    const a = await agent(t.url, { nodeId: 'ws-asleep', accept: true });
    a.close();
    await waitFor(
      async () => ((await api(t!.url, '/api/nodes')).body.count === 0 ? true : undefined),
      'gone',
    );
    const bad = await exec(t.url, 'ws-asleep', { action: 'tools.open_folder', params: {}, queue: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.path' } });
    const unknown = await exec(t.url, 'ws-asleep', { action: 'tools.nope', queue: true });
    expect(unknown.status).toBe(404);
  });

  it('fails a queued job at delivery when the node turns out not to have the action', async () => {
    t = await startServer();
    const { body } = await exec(t.url, 'ws-new', {
      action: 'houdini.render',
      params: { hip: '/a.hip' },
      queue: true,
    });
    expect(body.state).toBe('queued');
    // No node advertised houdini: nothing was known to redact by, so every value is stored redacted.
    expect((await job(body.command_id)).params).toEqual({ hip: '[redacted]' });
    const a = await agent(t.url, { nodeId: 'ws-new', accept: true, hello: { plugins: [toolsManifest()] } });
    const failed = await waitFor(async () => {
      const j = await job(body.command_id);
      return j.state === 'failed' ? (j as Record<string, Json>) : undefined;
    }, 'failure at delivery');
    expect(failed.error.code).toBe('PLUGIN_NOT_FOUND');
    expect(a.execs).toEqual([]);
  });

  it.each([
    [{ action: 'tools.ping', ttl: 10 }, 'body.ttl'],
    [{ action: 'tools.ping', queue: true, ttl: 999_999_999 }, 'body.ttl'],
    [{ action: 'tools.ping', queue: 'yes' }, 'body.queue'],
  ])('answers 400 for %j naming the field', async (body, field) => {
    t = await startServer();
    const response = await exec(t.url, 'ws-asleep', body);
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe(field);
  });

  it('answers 404 for an offline node without "queue"', async () => {
    t = await startServer();
    expect((await exec(t.url, 'ws-asleep', { action: 'tools.ping' })).status).toBe(404);
  });
});
