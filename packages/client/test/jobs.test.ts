import type { ExecAck, ExecRequest, JobEventView } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenClawApiError, createClient, type OpenClawClient } from '../src/index.js';
import { connectFakeAgent } from './fake-agent.js';

const TOKEN = 'client-jobs-token-7d2b';
let server: OpenClawServer;
let url: string;
let client: OpenClawClient;
const agents: Awaited<ReturnType<typeof connectFakeAgent>>[] = [];

/** `tools.ping` answers at once; `tools.open_folder` waits for the test to reply. */
const answer = (request: ExecRequest): ExecAck | 'never' =>
  request.action === 'tools.ping' ? { ok: true, result: 'pong' } : 'never';

beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'test', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  ({ url } = await server.listen());
  client = createClient({ server: url, token: TOKEN });
  agents.push(await connectFakeAgent(url, TOKEN, 'ws-001', answer, { tags: ['comp'], onCancel: 'ack' }));
  agents.push(await connectFakeAgent(url, TOKEN, 'ws-002', answer, { tags: ['comp'] }));
});

afterAll(async () => {
  agents.forEach((a) => a.socket.close());
  await server?.close();
});

const agent = () => agents[0]!;

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Start a job the node holds until the test replies; resolves with its id once the node has it. */
async function held(): Promise<string> {
  const accepted = await client.exec('ws-001', {
    action: 'tools.open_folder',
    params: { path: '/show/sh010' },
    wait: false,
  });
  if (accepted.status !== 'accepted') throw new Error('expected 202');
  await until(() => (agent().execs.some((e) => e.jobId === accepted.command_id) ? true : undefined), 'exec');
  return accepted.command_id;
}

describe('client jobs API', () => {
  it('starts a job without waiting and waits for it later', async () => {
    const id = await held();
    const job = await client.job(id);
    expect(job).toMatchObject({
      command_id: id,
      state: 'running',
      links: { events: `/api/jobs/${id}/events` },
    });
    const waiting = client.waitForJob(id);
    agent().reply(id, { ok: true, result: { opened: true } });
    expect(await waiting).toMatchObject({ state: 'succeeded', result: { opened: true } });
  });

  it('follows events as an async iterator, and resumes after a seq', async () => {
    const id = await held();
    const seen: JobEventView[] = [];
    const following = (async () => {
      for await (const event of client.events(id)) seen.push(event);
    })();
    await until(() => (seen.length === 1 ? true : undefined), 'the first event');
    agent().socket.emit('job:progress', { jobId: id, progress: 0.5, message: 'half' });
    agent().socket.emit('job:progress', { jobId: id, stream: 'stdout', chunk: 'line one\n' });
    agent().reply(id, { ok: true, result: 1 });
    await following;
    expect(seen.map((e) => e.type)).toEqual(['state', 'progress', 'log', 'state']);
    expect(seen[3]!.data).toEqual({ state: 'succeeded' });
    const resumed: JobEventView[] = [];
    for await (const event of client.events(id, { after: 2 })) resumed.push(event);
    expect(resumed.map((e) => e.seq)).toEqual([3, 4]);
  });

  it('reconnects with Last-Event-ID when the stream breaks, without repeating events', async () => {
    let opened = 0;
    const lastIds: (string | null)[] = [];
    const breaking: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(init?.headers);
      if (headers.get('accept') !== 'text/event-stream') return response;
      lastIds.push(headers.get('last-event-id'));
      opened += 1;
      if (opened > 1) return response;
      // The first stream dies after its first event, like a dropped connection.
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
          if (new TextDecoder().decode(value).includes('event: state')) {
            await reader.cancel();
            controller.error(new TypeError('terminated'));
          }
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const flaky = createClient({ server: url, token: TOKEN, fetch: breaking });
    const id = await held();
    const seen: number[] = [];
    const following = (async () => {
      for await (const event of flaky.events(id)) seen.push(event.seq);
    })();
    await until(() => (seen.length === 1 ? true : undefined), 'the first event');
    agent().socket.emit('job:progress', { jobId: id, progress: 0.9 });
    agent().reply(id, { ok: true, result: null });
    await following;
    expect(seen).toEqual([1, 2, 3]);
    expect(lastIds).toEqual([null, '1']);
  });

  it('cancels a running job', async () => {
    const id = await held();
    const job = await client.cancel(id);
    expect(job).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    await expect(client.cancel(id)).rejects.toMatchObject({ code: 'JOB_STATE_CONFLICT', httpStatus: 409 });
  });

  it('lists jobs with filters and pages', async () => {
    for (let i = 0; i < 3; i++) await client.exec('ws-002', { action: 'tools.ping' });
    const first = await client.jobs({ node: 'ws-002', state: ['succeeded'] }, { limit: 2 });
    expect(first.jobs).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await client.jobs(
      { node: 'ws-002', state: 'succeeded' },
      { limit: 2, cursor: first.next_cursor },
    );
    expect(second.jobs.length).toBeGreaterThanOrEqual(1);
    expect(new Set([...first.jobs, ...second.jobs].map((j) => j.command_id)).size).toBe(
      first.jobs.length + second.jobs.length,
    );
    await expect(client.job('nope')).rejects.toBeInstanceOf(OpenClawApiError);
    await expect(client.events('nope')[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
  });

  it('fans out with execMany and replays with an Idempotency-Key', async () => {
    const batch = await client.execMany({ target: { tags: ['comp'] }, action: 'tools.ping', wait: true });
    expect(batch.jobs.map((j) => [j.node_id, j.state, j.result])).toEqual(
      expect.arrayContaining([
        ['ws-001', 'succeeded', 'pong'],
        ['ws-002', 'succeeded', 'pong'],
      ]),
    );
    const key = `publish-${Date.now()}`;
    const a = await client.exec('ws-002', { action: 'tools.ping' }, { idempotencyKey: key });
    const b = await client.exec('ws-002', { action: 'tools.ping' }, { idempotencyKey: key });
    expect(b.command_id).toBe(a.command_id);
  });
});
