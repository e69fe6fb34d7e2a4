import { PROTOCOL_VERSION } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  helloFor,
  openAgentSocket,
  startServer,
  TOKEN,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

let server: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

describe('misbehaving agents', () => {
  it('drops job:progress beyond the per-job budget, warning once for that job', async () => {
    const s = await startServer({ limits: { progressEventsPerSecond: 1, progressBurst: 5 } });
    server = s;
    let release: (() => void) | undefined;
    const agent = await connectAgent(s.url, {
      onExec: (request, a) =>
        new Promise((resolve) => {
          for (let i = 0; i < 200; i += 1)
            a.socket.emit('job:progress', { jobId: request.jobId, progress: i / 200 });
          release = () => resolve({ ok: true, result: null });
        }),
    });
    agents.push(agent);
    const running = exec(s.url, 'ws-001', { action: 'tools.ping', wait: false });
    const accepted = await running;
    const id = accepted.body.command_id as string;
    await waitFor(
      () => s.logs.find((l) => l.msg === 'job:progress events over budget for this job are dropped'),
      'the flood warning',
    );
    await waitFor(() => release, 'the exec');
    release!();
    const job = await waitFor(async () => {
      const { body } = await api<{ state: string; progress: number }>(s.url, `/api/jobs/${id}`);
      return body.state === 'succeeded' ? body : undefined;
    }, 'the job to end');
    // Only the burst got through: the last progress recorded is an early one.
    expect(job.progress).toBeLessThan(0.05);
    expect(
      s.logs.filter((l) => l.msg === 'job:progress events over budget for this job are dropped'),
    ).toHaveLength(1);
  });

  it('disconnects an agent that keeps flooding, and keeps serving the others', async () => {
    const s = await startServer({
      limits: { agentEventsPerSecond: 10, agentEventBurst: 20, agentFloodDisconnect: 100 },
    });
    server = s;
    const calm = await connectAgent(s.url, { nodeId: 'ws-calm' });
    const loud = await connectAgent(s.url, { nodeId: 'ws-loud' });
    agents.push(calm, loud);
    for (let i = 0; i < 400; i += 1) loud.socket.emit('job:progress', { jobId: `job-${i}`, message: 'spam' });
    await waitFor(() => (loud.connected ? undefined : true), 'the flooding agent to be dropped');
    const line = s.logs.find((l) => l.msg === 'agent is flooding the server: disconnecting it');
    expect(line).toMatchObject({ node_id: 'ws-loud', address: '127.0.0.1' });
    expect(calm.connected).toBe(true);
    expect((await exec(s.url, 'ws-calm', { action: 'tools.ping' })).status).toBe(200);
  });

  // The budget is for what an agent sends of its own accord: the `job:accepted` and `job:started`
  // each exec asks for are bounded by the execs the server sends, and a busy node must not be cut
  // off for answering them (the bench's real agent was, at ~2,000 jobs/s against 500 events/s).
  it("does not count the announcements of the server's own jobs against the agent's budget", async () => {
    const s = await startServer({
      limits: { agentEventsPerSecond: 1, agentEventBurst: 2, agentFloodDisconnect: 10 },
    });
    server = s;
    const busy = await connectAgent(s.url, { nodeId: 'ws-busy', accept: true });
    const quick = await connectAgent(s.url, { nodeId: 'ws-quick', accept: 'started' });
    agents.push(busy, quick);
    for (const node of ['ws-busy', 'ws-quick']) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => exec(s.url, node, { action: 'tools.ping' })),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    }
    const { body } = await api<{ jobs: { node_id: string; started_at?: string }[] }>(
      s.url,
      '/api/jobs?limit=100',
    );
    expect(body.jobs).toHaveLength(60);
    expect(body.jobs.filter((j) => j.started_at === undefined)).toEqual([]);
    expect([busy.connected, quick.connected]).toEqual([true, true]);
    expect(s.logs.filter((l) => l.msg === 'agent is flooding the server: disconnecting it')).toEqual([]);
  });

  it('still counts announcements the server did not ask for: repeats, and jobs not given', async () => {
    const s = await startServer({
      limits: { agentEventsPerSecond: 1, agentEventBurst: 2, agentFloodDisconnect: 10 },
    });
    server = s;
    const repeats = await connectAgent(s.url, {
      nodeId: 'ws-repeats',
      accept: true,
      onExec: (request, a) => {
        for (let i = 0; i < 50; i += 1) a.socket.emit('job:started', { jobId: request.jobId });
        return 'never';
      },
    });
    const strangers = await connectAgent(s.url, { nodeId: 'ws-strangers' });
    agents.push(repeats, strangers);
    void exec(s.url, 'ws-repeats', { action: 'tools.ping', wait: false });
    for (let i = 0; i < 50; i += 1)
      strangers.socket.emit('job:accepted', { jobId: `other-${i}`, queued: false });
    for (const agent of [repeats, strangers])
      await waitFor(() => (agent.connected ? undefined : true), 'the flooding agent to be dropped');
    const flooding = s.logs.filter((l) => l.msg === 'agent is flooding the server: disconnecting it');
    expect(flooding.map((l) => l.node_id).sort()).toEqual(['ws-repeats', 'ws-strangers']);
  });

  it('spares one job:accepted per job, not two', async () => {
    // No refill during the test; the hello spends one of the burst of 3, and the third drop
    // disconnects: exactly four counted events pass.
    const s = await startServer({
      limits: { agentEventsPerSecond: 0.001, agentEventBurst: 3, agentFloodDisconnect: 2 },
    });
    server = s;
    const agent = await connectAgent(s.url, { nodeId: 'ws-twice', onExec: () => 'never' });
    agents.push(agent);
    await exec(s.url, 'ws-twice', { action: 'tools.ping', wait: false });
    const { jobId } = await waitFor(() => agent.execs[0], 'the exec');
    agent.socket.emit('job:accepted', { jobId, queued: false }); // spared
    agent.socket.emit('job:accepted', { jobId, queued: false }); // a repeat: counted (1)
    for (let i = 0; i < 3; i++) agent.socket.emit('job:progress', { jobId, progress: i / 10 }); // 2, 3, 4
    agent.socket.emit('job:progress', { jobId, progress: 0.5 }); // 5: dropped, the third drop
    await waitFor(() => (agent.connected ? undefined : true), 'the agent to be cut off');
    expect(s.logs.some((l) => l.msg === 'agent is flooding the server: disconnecting it')).toBe(true);
  });

  it('ignores and logs malformed progress, with the node id and address', async () => {
    const s = await startServer();
    server = s;
    const agent = await connectAgent(s.url, { nodeId: 'ws-odd' });
    agents.push(agent);
    agent.socket.emit('job:progress', { jobId: { $ne: null } } as never);
    agent.socket.emit('job:progress', 'not an object' as never);
    const line = await waitFor(
      () => s.logs.find((l) => String(l.msg).startsWith('agent misbehaved: malformed job:progress')),
      'the log line',
    );
    expect(line).toMatchObject({ node_id: 'ws-odd', address: '127.0.0.1', level: 40 });
    expect((await api(s.url, '/api/nodes')).body.count).toBe(1);
  });

  it('refuses a hello claiming another node id or an invalid manifest, and logs the address', async () => {
    const s = await startServer();
    server = s;
    const { socket } = await openAgentSocket(s.url, {
      token: TOKEN,
      nodeId: 'ws-a',
      protocol: PROTOCOL_VERSION,
    });
    const claim = (await socket.timeout(5000).emitWithAck('hello', helloFor('ws-b'))) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(claim).toMatchObject({ ok: false, error: { code: 'INVALID_BODY' } });
    socket.close();
    const bad = await openAgentSocket(s.url, { token: TOKEN, nodeId: 'ws-c', protocol: PROTOCOL_VERSION });
    const manifest = (await bad.socket
      .timeout(5000)
      .emitWithAck('hello', helloFor('ws-c', { plugins: [{ name: 'x', actions: 7 }] as never }))) as {
      ok: boolean;
      error?: { code: string };
    };
    bad.socket.close();
    expect(manifest).toMatchObject({ ok: false, error: { code: 'MANIFEST_INVALID' } });
    const rejected = s.logs.filter((l) => l.msg === 'hello rejected');
    expect(rejected.map((l) => [l.node_id, l.address])).toEqual([
      ['ws-a', '127.0.0.1'],
      ['ws-c', '127.0.0.1'],
    ]);
    expect((await api(s.url, '/api/health', { token: null })).status).toBe(200);
  });
});
