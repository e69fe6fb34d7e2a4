import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  waitFor,
  type FakeAgent,
  type Json,
} from '@openclaw-node/test-support/server';
import { openSse, type SseReader } from '../helpers/sse.js';
import { T, sha256, startScopedServer, studioTokensYaml, type ScopedServer } from './scoped-server.js';

const AGENTS = 'ws-agents-token-Q2mZ7pL0vR5nB1cW9dF4gH6jS8aYt';
const yaml = `${studioTokensYaml()}  - name: ws-agents
    sha256: ${sha256(AGENTS)}
    roles: [agent]
    nodes: ["ws-*"]
`;

let server: ScopedServer | undefined;
const agents: FakeAgent[] = [];
const streams: SseReader[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

async function start(overrides: Parameters<typeof startScopedServer>[0] = {}): Promise<ScopedServer> {
  server = await startScopedServer(overrides, yaml);
  return server;
}

/** A job queued (by the admin) for a node that is not connected: it stays queued, its stream quiet. */
async function queuedJob(s: ScopedServer, nodeId: string, params: Json = {}): Promise<string> {
  const answer = await exec(
    s.url,
    nodeId,
    { action: 'tools.ping', params, queue: true, wait: false },
    {
      token: T.admin,
    },
  );
  expect(answer.status).toBe(202);
  return answer.body.command_id as string;
}

async function stream(s: ScopedServer, jobId: string, token: string): Promise<SseReader> {
  const reader = await openSse(s.url, `/api/jobs/${jobId}/events`, { token });
  streams.push(reader);
  return reader;
}

const decodeCursor = (cursor: string): [number, string] =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string];

describe('job event streams', () => {
  it('caps the streams one token holds open (429 STREAM_LIMIT) and frees a slot when one closes', async () => {
    const s = await start({ limits: { eventStreamsPerToken: 2 } });
    const job = await queuedJob(s, 'ws-10');
    const first = await stream(s, job, T.wall);
    expect((await stream(s, job, T.wall)).status).toBe(200);
    const third = await api(s.url, `/api/jobs/${job}/events`, { token: T.wall });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({
      code: 'STREAM_LIMIT',
      details: { limit: 2, limit_name: 'eventStreamsPerToken' },
    });
    // Another token is not affected.
    expect((await stream(s, job, T.admin)).status).toBe(200);
    first.close();
    await waitFor(async () => {
      const again = await openSse(s.url, `/api/jobs/${job}/events`, { token: T.wall });
      if (again.status === 200) {
        streams.push(again);
        return true;
      }
      again.close();
      return undefined;
    }, 'a stream slot to free');
  });

  it('caps the streams one client address holds open across tokens', async () => {
    const s = await start({ limits: { eventStreamsPerAddress: 2 } });
    const job = await queuedJob(s, 'ws-10');
    expect((await stream(s, job, T.wall)).status).toBe(200);
    expect((await stream(s, job, T.admin)).status).toBe(200);
    const third = await api(s.url, `/api/jobs/${job}/events`, { token: T.ci });
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({
      code: 'STREAM_LIMIT',
      details: { limit_name: 'eventStreamsPerAddress' },
    });
  });

  it('closes a stream that sent no job event for eventStreamIdleMs', async () => {
    const s = await start({ limits: { eventStreamIdleMs: 300 } });
    const job = await queuedJob(s, 'ws-10');
    const reader = await stream(s, job, T.admin);
    const messages = await reader.rest();
    expect(messages.some((m) => m.comment?.startsWith('idle for 300 ms'))).toBe(true);
  });
});

describe('GET /api/jobs pages', () => {
  it('stops a page at maxJobPageBytes and goes on with next_cursor, every job once', async () => {
    const s = await start({ limits: { maxJobPageBytes: 1500 } });
    const made = new Set<string>();
    for (let i = 0; i < 8; i += 1) made.add(await queuedJob(s, `ws-${i}`, { note: 'n'.repeat(1200) }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api(s.url, `/api/jobs?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
        token: T.admin,
      });
      expect(page.status).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(page.body.jobs))).toBeLessThan(1500 + 1500);
      seen.push(...page.body.jobs.map((j: Json) => j.command_id as string));
      cursor = page.body.next_cursor as string | null;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen)).toEqual(made);
    expect(seen).toHaveLength(8);
  });

  it("never builds next_cursor from a job outside the caller's node scope", async () => {
    const s = await start();
    const visible = new Set<string>();
    for (let i = 0; i < 3; i += 1) visible.add(await queuedJob(s, 'ws-10'));
    const hidden = new Set<string>();
    for (let i = 0; i < 3; i += 1) hidden.add(await queuedJob(s, 'ws-20'));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api(s.url, `/api/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: T.wall,
      });
      seen.push(...page.body.jobs.map((j: Json) => j.command_id as string));
      cursor = page.body.next_cursor as string | null;
      if (cursor !== null) expect(hidden.has(decodeCursor(cursor)[1])).toBe(false);
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(new Set(seen)).toEqual(visible);
  });
});

describe('slow request bodies', () => {
  it('answers 408 BODY_TIMEOUT when a body does not arrive within bodyReadTimeoutMs', async () => {
    const s = await start({ limits: { bodyReadTimeoutMs: 300 } });
    const answer = await new Promise<{ status: number; body: Json }>((resolve, reject) => {
      const req = request(`${s.url}/api/nodes/ws-1/exec`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${T.admin}`,
          'content-type': 'application/json',
          'content-length': '100',
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write('{"action":');
    });
    expect(answer.status).toBe(408);
    expect(answer.body.error).toMatchObject({
      code: 'BODY_TIMEOUT',
      details: { field: 'body', timeout_ms: 300 },
    });
    expect((await api(s.url, '/api/health', { token: null })).status).toBe(200);
  });
});

describe('progress an agent stores', () => {
  it('keeps at most maxProgressBytesPerJob of text per job, still taking the progress number', async () => {
    const s = await start({ limits: { maxProgressBytesPerJob: 2000 } });
    const agent = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1, onExec: () => 'never' });
    agents.push(agent);
    const answer = await exec(
      s.url,
      'ws-1',
      { action: 'tools.ping', params: {}, wait: false },
      { token: T.admin },
    );
    const jobId = answer.body.command_id as string;
    await waitFor(() => (agent.execs.length === 1 ? true : undefined), 'the exec');
    for (let i = 0; i < 20; i += 1) {
      agent.socket.emit('job:progress', {
        jobId,
        stream: 'stdout',
        chunk: `${String(i).padStart(3, '0')}${'o'.repeat(496)}\n`,
      });
    }
    agent.socket.emit('job:progress', { jobId, progress: 0.75, message: 'm'.repeat(500) });
    const job = await waitFor(async (): Promise<Json> => {
      const view = await api(s.url, `/api/jobs/${jobId}`, { token: T.admin });
      return view.body.progress === 0.75 ? (view.body as unknown) : undefined;
    }, 'the progress number');
    const text = (job.log_tail as string[]).join('').length + String(job.message ?? '').length;
    expect(text).toBeLessThanOrEqual(2000);
    expect(job.log_tail).toHaveLength(4);
    expect(s.logs.some((l) => String(l.msg).includes('limits.maxProgressBytesPerJob'))).toBe(true);
  });

  it('logs progress for a job the agent was not given (and ignores it)', async () => {
    const s = await start();
    const agent = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 });
    agents.push(agent);
    const other = await queuedJob(s, 'ws-20');
    agent.socket.emit('job:progress', { jobId: other, progress: 0.5 });
    await waitFor(
      () =>
        s.logs.find(
          (l) =>
            String(l.msg).includes('job:progress for a job this connection was not given') &&
            l.job_id === other,
        ),
      'the misbehaviour log line',
    );
    expect((await api(s.url, `/api/jobs/${other}`, { token: T.admin })).body.progress).toBeNull();
  });
});
