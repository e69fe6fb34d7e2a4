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

const cancel = (id: string) => api(t!.url, `/api/jobs/${id}/cancel`, { method: 'POST' });

async function startJob(a: FakeAgent, node = 'ws-001'): Promise<string> {
  const { body } = await exec(t!.url, node, { action: 'tools.ping', wait: false, timeout: 600 });
  await waitFor(() => (a.execs.some((e) => e.jobId === body.command_id) ? true : undefined), 'exec');
  return body.command_id as string;
}

describe('POST /api/jobs/:id/cancel', () => {
  it('cancels a running job on its node and answers 200 once the node acks CANCELLED', async () => {
    t = await startServer();
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onCancel: 'ack', onExec: () => 'never' });
    const id = await startJob(a);
    const { status, body } = await cancel(id);
    expect(status).toBe(200);
    expect(a.cancels).toEqual([{ jobId: id }]);
    expect(body).toMatchObject({
      command_id: id,
      state: 'cancelled',
      error: { code: 'CANCELLED', message: 'cancelled on the node' },
      links: { self: `/api/jobs/${id}` },
    });
    expect((await api(t.url, '/api/health')).body.pending_commands).toBe(0);
  });

  it('answers 202 while the node has not answered, and ends the job cancelled after the grace', async () => {
    t = await startServer({ cancelWaitMs: 50, cancelGraceMs: 300 });
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
    const id = await startJob(a);
    const { status, body } = await cancel(id);
    expect(status).toBe(202);
    expect(body.state).toBe('running');
    const ended = await waitFor(async () => {
      const j = (await api(t!.url, `/api/jobs/${id}`)).body;
      return j.state === 'cancelled' ? (j as Record<string, Json>) : undefined;
    }, 'the grace to pass');
    expect(ended.error).toEqual({ code: 'CANCELLED', message: 'The job was cancelled by test' });
  });

  it('keeps the real outcome when the job ended before the cancel reached the node', async () => {
    t = await startServer();
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
    const id = await startJob(a);
    a.socket.once('job:cancel', () => undefined);
    a.answer(id, { ok: true, result: 'done first' });
    await waitFor(
      async () => ((await api(t!.url, `/api/jobs/${id}`)).body.state === 'succeeded' ? true : undefined),
      'end',
    );
    const { status, body } = await cancel(id);
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'JOB_STATE_CONFLICT', details: { state: 'succeeded' } });
  });

  it('cancels a job queued for an offline node at once; it is never delivered', async () => {
    t = await startServer();
    const queued = await exec(t.url, 'ws-sleeping', { action: 'tools.ping', queue: true, ttl: 600 });
    expect(queued.status).toBe(202);
    const { status, body } = await cancel(queued.body.command_id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' }, started_at: null });
    const a = await agent(t.url, { nodeId: 'ws-sleeping', accept: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(a.execs).toEqual([]);
  });

  it('ends a job cancelled when its node disconnects before answering', async () => {
    t = await startServer({ cancelWaitMs: 50 });
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
    const id = await startJob(a);
    expect((await cancel(id)).status).toBe(202);
    a.close();
    const ended = await waitFor(async () => {
      const j = (await api(t!.url, `/api/jobs/${id}`)).body;
      return j.state !== 'running' ? (j as Record<string, Json>) : undefined;
    }, 'the end');
    expect(ended).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
  });

  it('answers 404 for an unknown job', async () => {
    t = await startServer();
    const { status, body } = await cancel('nope');
    expect(status).toBe(404);
    expect(body.error.code).toBe('JOB_NOT_FOUND');
  });
});
