import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  startServer,
  waitFor,
  type FakeAgent,
  type Json,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { eventsOf, openSse, type SseReader } from '../helpers/sse.js';

let t: TestServer | undefined;
const agents: FakeAgent[] = [];
const readers: SseReader[] = [];

afterEach(async () => {
  readers.splice(0).forEach((r) => r.close());
  agents.splice(0).forEach((a) => a.close());
  await t?.close();
  t = undefined;
});

async function setup(
  overrides: Parameters<typeof startServer>[0] = {},
): Promise<{ t: TestServer; a: FakeAgent }> {
  t = await startServer(overrides);
  const a = await connectAgent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
  agents.push(a);
  return { t, a };
}

async function sse(route: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await openSse(t!.url, route, { headers });
  readers.push(reader);
  return reader;
}

/** Start an async job and wait until the node has it. */
async function startJob(a: FakeAgent): Promise<string> {
  const { body } = await exec(t!.url, 'ws-001', { action: 'tools.ping', wait: false });
  await waitFor(() => (a.execs.some((e) => e.jobId === body.command_id) ? true : undefined), 'exec');
  return body.command_id as string;
}

describe('GET /api/jobs/:id/events', () => {
  it('streams state, progress and log events as SSE and ends after the terminal state', async () => {
    const { a } = await setup();
    const id = await startJob(a);
    const stream = await sse(`/api/jobs/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    const first = await stream.next();
    expect(first).toEqual({ retry: 3000 });
    const running = await stream.next();
    expect(running).toMatchObject({ id: '1', event: 'state', data: { seq: 1, job_id: id, type: 'state' } });
    expect((running!.data as Json).data).toEqual({ state: 'running' });
    a.socket.emit('job:progress', { jobId: id, progress: 0.25, message: 'frame 1025' });
    a.socket.emit('job:progress', { jobId: id, stream: 'stderr', chunk: 'warning: late\n' });
    a.answer(id, { ok: true, result: { done: true } });
    const rest = eventsOf(await stream.rest());
    expect(rest.map((m) => [m.id, m.event])).toEqual([
      ['2', 'progress'],
      ['3', 'log'],
      ['4', 'state'],
    ]);
    expect(rest.map((m) => (m.data as Json).data as unknown)).toEqual([
      { progress: 0.25, message: 'frame 1025' },
      { lines: ['warning: late'] },
      { state: 'succeeded' },
    ]);
    expect(stream.raw()).toMatch(/^retry: 3000\n\nid: 1\nevent: state\ndata: \{.*\}\n\n/);
  });

  it('replays from Last-Event-ID mid-stream, then follows live events', async () => {
    const { a } = await setup();
    const id = await startJob(a);
    for (let i = 1; i <= 3; i++) a.socket.emit('job:progress', { jobId: id, progress: i / 10 });
    await waitFor(
      async () => ((await api(t!.url, `/api/jobs/${id}`)).body.progress === 0.3 ? true : undefined),
      'progress',
    );
    const first = await sse(`/api/jobs/${id}/events`);
    const seen = eventsOf(
      [await first.next(), await first.next(), await first.next()].filter((m) => m !== undefined),
    );
    expect(seen.map((m) => m.id)).toEqual(['1', '2']);
    first.close();

    const resumed = await sse(`/api/jobs/${id}/events`, { 'Last-Event-ID': '2' });
    const replayed = [await resumed.next(), await resumed.next(), await resumed.next()];
    expect(eventsOf(replayed.filter((m) => m !== undefined)).map((m) => m.id)).toEqual(['3', '4']);
    a.socket.emit('job:progress', { jobId: id, progress: 0.9 });
    a.answer(id, { ok: false, error: { code: 'RENDER_FAILED', message: 'frame 1042 missing' } });
    const live = eventsOf(await resumed.rest());
    expect(live.map((m) => [m.id, m.event])).toEqual([
      ['5', 'progress'],
      ['6', 'state'],
    ]);
    expect((live[1]!.data as Json).data).toEqual({
      state: 'failed',
      error: { code: 'RENDER_FAILED', message: 'frame 1042 missing' },
    });
  });

  it('replays a finished job with ?after= and ends at once', async () => {
    const { a } = await setup();
    const id = await startJob(a);
    a.socket.emit('job:progress', { jobId: id, message: 'working' });
    a.answer(id, { ok: true, result: null });
    await waitFor(
      async () => ((await api(t!.url, `/api/jobs/${id}`)).body.state === 'succeeded' ? true : undefined),
      'end',
    );
    const all = eventsOf(await (await sse(`/api/jobs/${id}/events`)).rest());
    expect(all.map((m) => m.event)).toEqual(['state', 'progress', 'state']);
    const tail = eventsOf(await (await sse(`/api/jobs/${id}/events?after=2`)).rest());
    expect(tail.map((m) => m.id)).toEqual(['3']);
    expect(eventsOf(await (await sse(`/api/jobs/${id}/events?after=3`)).rest())).toEqual([]);
  });

  it('sends heartbeat comments while a job is quiet', async () => {
    const { a } = await setup({ sseHeartbeatMs: 50 });
    const id = await startJob(a);
    const stream = await sse(`/api/jobs/${id}/events`);
    const comment = await waitFor(async () => {
      const m = await stream.next();
      return m?.comment !== undefined ? m : undefined;
    }, 'a heartbeat');
    expect(comment.comment).toMatch(/^heartbeat \d{4}-/);
  });

  it('lets a client hang up without ending the job, and ends open streams when the server closes', async () => {
    const { a } = await setup();
    const id = await startJob(a);
    const gone = await sse(`/api/jobs/${id}/events`);
    await gone.next();
    gone.close();
    const open = await sse(`/api/jobs/${id}/events`);
    await open.next();
    expect((await api(t!.url, `/api/jobs/${id}`)).body.state).toBe('running');
    await t!.close();
    const rest = eventsOf(await open.rest());
    expect(rest.every((m) => m.event === 'state' || m.event === 'progress' || m.event === 'log')).toBe(true);
    expect(a.execs).toHaveLength(1);
  });

  it.each([
    [{ 'Last-Event-ID': 'abc' }, '', 'last-event-id'],
    [{}, '?after=-1', 'query.after'],
  ])('answers 400 for a malformed resume point (%j%s)', async (headers, query, field) => {
    const { a } = await setup();
    const id = await startJob(a);
    const { status, body } = await api(t!.url, `/api/jobs/${id}/events${query}`, { headers });
    expect(status).toBe(400);
    expect(body.error.details.field).toBe(field);
  });

  it('answers 404 JSON for an unknown job and 401 without a token', async () => {
    await setup();
    expect((await api(t!.url, '/api/jobs/nope/events')).status).toBe(404);
    expect((await api(t!.url, '/api/jobs/nope/events', { token: null })).status).toBe(401);
  });
});
