import { describe, expect, it } from 'vitest';
import { api, exec, OPERATOR_TOKEN, waitFor, type Json } from '@openclaw-node/test-support/server';
import { useTestServer } from '../helpers/server.js';

const t = useTestServer();
const agent = t.agent;

const job = async (id: string): Promise<Json> => (await api(t.url, `/api/jobs/${id}`)).body;

describe('async exec ("wait": false)', () => {
  it('answers 202 with the job and its links at once, and the job completes', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
    const { status, body, headers } = await exec(t.url, 'ws-001', {
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
      wait: false,
    });
    expect(status).toBe(202);
    const id = body.command_id as string;
    expect(body).toEqual({
      status: 'accepted',
      command_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      node_id: 'ws-001',
      action: 'tools.open_folder',
      state: 'running',
      expires_at: null,
      links: { self: `/api/jobs/${id}`, events: `/api/jobs/${id}/events`, cancel: `/api/jobs/${id}/cancel` },
    });
    expect(headers.get('location')).toBe(`/api/jobs/${id}`);
    await waitFor(() => (a.execs.length ? true : undefined), 'exec to arrive');
    a.socket.emit('job:progress', { jobId: id, progress: 0.5, message: 'half way' });
    a.socket.emit('job:progress', { jobId: id, stream: 'stdout', chunk: 'frame 1\nframe 2\n' });
    await waitFor(async () => ((await job(id)).progress === 0.5 ? true : undefined), 'progress');
    a.answer(id, { ok: true, result: { opened: '/show/sh010' } });
    const done = await waitFor(async () => {
      const j = await job(id);
      return j.state === 'succeeded' ? (j as Record<string, Json>) : undefined;
    }, 'the job to succeed');
    expect(done).toMatchObject({
      command_id: id,
      node_id: 'ws-001',
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
      requested_by: 'test',
      result: { opened: '/show/sh010' },
      error: null,
      progress: 0.5,
      message: 'half way',
      log_tail: ['frame 1', 'frame 2'],
      timeout_s: 30,
      links: { self: `/api/jobs/${id}` },
    });
    expect(done.duration_ms).toBeGreaterThanOrEqual(0);
    expect(done).not.toHaveProperty('request_hash');
  });

  it('records a failing async job with its error', async () => {
    await agent(t.url, {
      nodeId: 'ws-001',
      onExec: () => ({ ok: false, error: { code: 'PATH_NOT_FOUND', message: 'No such folder' } }),
    });
    const { body } = await exec(t.url, 'ws-001', {
      action: 'tools.open_folder',
      params: { path: '/show/x' },
      wait: false,
    });
    const failed = await waitFor(async () => {
      const j = await job(body.command_id);
      return j.state === 'failed' ? (j as Record<string, Json>) : undefined;
    }, 'the job to fail');
    expect(failed.error).toEqual({ code: 'PATH_NOT_FOUND', message: 'No such folder' });
  });

  it('still validates before accepting: nothing is stored for a bad request', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const bad = await exec(t.url, 'ws-001', { action: 'tools.open_folder', params: {}, wait: false });
    expect(bad.status).toBe(400);
    expect((await api(t.url, '/api/jobs')).body.count).toBe(0);
    const wrongType = await exec(t.url, 'ws-001', { action: 'tools.ping', wait: 'no' });
    expect(wrongType.body.error).toMatchObject({ code: 'INVALID_BODY', details: { field: 'body.wait' } });
  });
});

describe('history of synchronous execs', () => {
  it('records every exec with the token name that asked for it', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const { body } = await exec(t.url, 'ws-001', { action: 'tools.ping' }, { token: OPERATOR_TOKEN });
    const record = await job(body.command_id);
    expect(record).toMatchObject({
      state: 'succeeded',
      requested_by: 'operator-only',
      result: { echo: {} },
      started_at: expect.any(String),
      finished_at: expect.any(String),
    });
  });

  it('records a node timeout as timed_out, and a disconnect as failed', async () => {
    const slow = await agent(t.url, { nodeId: 'ws-slow', onExec: () => 'never' });
    const timedOut = await exec(t.url, 'ws-slow', { action: 'tools.ping', timeout: 0.2 });
    expect(timedOut.status).toBe(504);
    expect(await job(timedOut.body.command_id)).toMatchObject({
      state: 'timed_out',
      error: { code: 'NODE_TIMEOUT' },
    });
    const pending = exec(t.url, 'ws-slow', { action: 'tools.ping', timeout: 600 });
    await waitFor(() => (slow.execs.length === 2 ? true : undefined), 'second exec');
    slow.close();
    const gone = await pending;
    expect(gone.status).toBe(502);
    expect(await job(gone.body.command_id)).toMatchObject({
      state: 'failed',
      error: { code: 'NODE_DISCONNECTED' },
    });
  });

  it('records a job whose HTTP caller went away as cancelled', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const caller = new AbortController();
    const pending = exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 600 }, { signal: caller.signal });
    await waitFor(() => (a.execs.length ? true : undefined), 'exec');
    caller.abort();
    await expect(pending).rejects.toThrow();
    const id = a.execs[0]!.jobId;
    const cancelled = await waitFor(async () => {
      const j = await job(id);
      return j.state === 'cancelled' ? (j as Record<string, Json>) : undefined;
    }, 'cancelled');
    expect(cancelled.error.code).toBe('CANCELLED');
    // A caller hanging up is no server failure: no error line, no stack in the log, one info line.
    await waitFor(
      () => (t.logs.some((l) => l.msg === 'the caller went away before the answer') ? true : undefined),
      'the hang-up to be logged',
    );
    const hungUp = t.logs.filter((l) => l.msg === 'the caller went away before the answer');
    expect(hungUp).toEqual([
      expect.objectContaining({ level: 30, method: 'POST', path: '/api/nodes/ws-001/exec' }),
    ]);
    expect(t.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
    // Its request line says what happened (499, client closed), not Koa's default 404.
    const line = await waitFor(
      () => t.logs.find((l) => l.msg === 'request' && l.path === '/api/nodes/ws-001/exec'),
      'the request line of the exec',
    );
    expect(line.status).toBe(499);
  });
});

describe('GET /api/jobs', () => {
  async function seed(): Promise<void> {
    await agent(t.url, { nodeId: 'ws-a' });
    await agent(t.url, {
      nodeId: 'ws-b',
      onExec: (r) =>
        r.action === 'tools.render'
          ? { ok: false, error: { code: 'RENDER_FAILED', message: 'no frames' } }
          : { ok: true, result: 1 },
    });
    for (let i = 0; i < 3; i++) await exec(t.url, 'ws-a', { action: 'tools.ping' });
    await exec(t.url, 'ws-b', { action: 'tools.ping' });
    await exec(t.url, 'ws-b', { action: 'tools.render', params: { script: '/s.nk' } });
  }

  it('lists jobs newest first, filtered by node, state and action', async () => {
    await seed();
    const all = (await api(t.url, '/api/jobs')).body;
    expect(all.count).toBe(5);
    expect(all.next_cursor).toBeNull();
    const times = all.jobs.map((j: Json) => j.created_at as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await api(t.url, '/api/jobs?node=ws-a')).body.jobs.map((j: Json) => j.node_id as string)).toEqual(
      ['ws-a', 'ws-a', 'ws-a'],
    );
    const failed = (await api(t.url, '/api/jobs?state=failed')).body;
    expect(failed.jobs).toHaveLength(1);
    expect(failed.jobs[0]).toMatchObject({ node_id: 'ws-b', action: 'tools.render', state: 'failed' });
    expect((await api(t.url, '/api/jobs?state=failed,succeeded')).body.count).toBe(5);
    expect((await api(t.url, '/api/jobs?state=failed&state=succeeded')).body.count).toBe(5);
    expect((await api(t.url, '/api/jobs?action=tools.ping&node=ws-b')).body.count).toBe(1);
    expect((await api(t.url, '/api/jobs?requested_by=test')).body.count).toBe(5);
  });

  it('pages with an opaque cursor until next_cursor is null', async () => {
    await seed();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const { body } = await api(t.url, `/api/jobs${query}`);
      expect(body.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...body.jobs.map((j: Json) => j.command_id as string));
      cursor = body.next_cursor as string | null;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const all = (await api(t.url, '/api/jobs')).body.jobs.map((j: Json) => j.command_id as string);
    expect(seen).toEqual(all);
  });

  it.each([
    ['?state=done', 'query.state'],
    ['?limit=0', 'query.limit'],
    ['?limit=ten', 'query.limit'],
    ['?cursor=not-a-cursor', 'cursor'],
    ['?nodes=ws-a', 'query.nodes'],
    ['?node=a&node=b', 'query.node'],
  ])('answers 400 for %s, naming the field', async (query, field) => {
    const { status, body } = await api(t.url, `/api/jobs${query}`);
    expect(status).toBe(400);
    expect(body.error.details.field).toBe(field);
  });

  it('answers 404 JOB_NOT_FOUND for an unknown job and needs a token', async () => {
    const { status, body } = await api(t.url, '/api/jobs/nope');
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'JOB_NOT_FOUND', details: { command_id: 'nope' } });
    expect((await api(t.url, '/api/jobs', { token: null })).status).toBe(401);
  });
});
