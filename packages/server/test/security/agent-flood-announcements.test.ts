// What the agent event budget's exemption for job:accepted / job:started (the first of each kind
// for a job the server sent that connection) does not give away to a hostile agent.
//
// Counting: agentEventsPerSecond is tiny (1 unit per 1000 s: no refill during a test), burst 3, and
// agentFloodDisconnect 2. The hello takes one unit, so an agent has 2 units left; then 2 drops are
// tolerated and the 3rd drop disconnects it: exactly 4 counted events keep it connected, the 5th
// cuts it off. Every attack below checks that threshold to the event.
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  startServer,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

const LIMITS = { agentEventsPerSecond: 0.001, agentEventBurst: 3, agentFloodDisconnect: 2 };
const FLOODING = 'agent is flooding the server: disconnecting it';
const COUNTED_ALLOWED = 4;

let server: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emit(agent: FakeAgent, event: string, ...args: unknown[]): void {
  (agent.socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args);
}

/** Sends `counted()` COUNTED_ALLOWED times: still connected; once more: disconnected as flooding. */
async function expectExactThreshold(s: TestServer, agent: FakeAgent, counted: (i: number) => void) {
  for (let i = 0; i < COUNTED_ALLOWED; i++) counted(i);
  await sleep(400);
  expect(agent.connected).toBe(true);
  expect(s.logs.filter((l) => l.msg === FLOODING)).toEqual([]);
  counted(COUNTED_ALLOWED);
  await waitFor(() => (agent.connected ? undefined : true), 'the agent to be cut off');
  await waitFor(() => s.logs.find((l) => l.msg === FLOODING), 'the flooding line');
}

async function agentWithJob(s: TestServer, nodeId: string) {
  const agent = await connectAgent(s.url, { nodeId, onExec: () => 'never' });
  agents.push(agent);
  const accepted = await exec(s.url, nodeId, { action: 'tools.ping', wait: false });
  expect(accepted.status).toBe(202);
  await waitFor(() => agent.execs[0], 'the exec');
  return { agent, jobId: agent.execs[0]!.jobId };
}

describe('what the announcement exemption does not give away', () => {
  it('baseline: with no job, 4 counted events are tolerated and the 5th disconnects', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const agent = await connectAgent(s.url, { nodeId: 'ws-base' });
    agents.push(agent);
    await expectExactThreshold(s, agent, (i) =>
      emit(agent, 'job:accepted', { jobId: `nope-${i}`, queued: false }),
    );
  });

  it('spares one job:accepted and one job:started per exec; repeats of either kind are counted', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent, jobId } = await agentWithJob(s, 'ws-rep');
    emit(agent, 'job:accepted', { jobId, queued: false });
    emit(agent, 'job:started', { jobId });
    await expectExactThreshold(s, agent, (i) =>
      emit(agent, i % 2 ? 'job:started' : 'job:accepted', { jobId, queued: false }),
    );
  });

  it('job:accepted with started:true then job:started: both spared, the next counted', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent, jobId } = await agentWithJob(s, 'ws-st');
    emit(agent, 'job:accepted', { jobId, queued: false, started: true });
    emit(agent, 'job:started', { jobId });
    await expectExactThreshold(s, agent, () => emit(agent, 'job:started', { jobId }));
  });

  it("announcements for another connection's job are counted, and do not use up its exemption", async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent: owner, jobId } = await agentWithJob(s, 'ws-owner');
    const thief = await connectAgent(s.url, { nodeId: 'ws-thief' });
    agents.push(thief);
    await expectExactThreshold(s, thief, (i) =>
      emit(thief, i % 2 ? 'job:started' : 'job:accepted', { jobId, queued: false }),
    );
    // The owner still has both of its announcements spared, then its own full budget.
    emit(owner, 'job:accepted', { jobId, queued: false });
    emit(owner, 'job:started', { jobId });
    for (let i = 0; i < COUNTED_ALLOWED; i++) emit(owner, 'job:started', { jobId });
    await sleep(400);
    expect(owner.connected).toBe(true);
    expect(s.logs.filter((l) => l.msg === FLOODING).map((l) => l.node_id)).toEqual(['ws-thief']);
  });

  it('malformed announcements (jobId null, number, object, 500 KB, no payload, array) are counted', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent, jobId } = await agentWithJob(s, 'ws-bad');
    const bad: unknown[][] = [
      ['job:accepted', { jobId: null, queued: false }],
      ['job:started', { jobId: 42 }],
      ['job:accepted', { jobId: { toString: jobId }, queued: false }],
      ['job:started', { jobId: [jobId] }],
      ['job:accepted', { jobId: `${jobId}${'x'.repeat(500_000)}`, queued: false }],
      ['job:started'],
      ['job:accepted', null],
      ['job:started', [jobId]],
      ['job:accepted', jobId],
    ];
    let n = 0;
    // 4 of the malformed kinds, then a 5th: all counted (none of them took the job's exemption).
    await expectExactThreshold(s, agent, () => {
      const [event, ...args] = bad[n++ % bad.length]!;
      emit(agent, event as string, ...args);
    });
  });

  it('every malformed kind alone is counted (one fresh agent per kind)', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const kinds: [string, (jobId: string) => unknown[]][] = [
      ['null jobId', () => ['job:accepted', { jobId: null, queued: false }]],
      ['numeric jobId', () => ['job:started', { jobId: 7 }]],
      ['huge jobId', (j) => ['job:accepted', { jobId: j + 'y'.repeat(900_000), queued: false }]],
      ['no payload', () => ['job:started']],
      ['string payload', (j) => ['job:accepted', j]],
    ];
    for (const [name, packet] of kinds) {
      const { agent, jobId } = await agentWithJob(s, `ws-${name.replace(/ /g, '-')}`);
      const before = s.logs.filter((l) => l.msg === FLOODING).length;
      for (let i = 0; i < COUNTED_ALLOWED + 1; i++) {
        const [event, ...args] = packet(jobId);
        emit(agent, event as string, ...args);
      }
      await waitFor(() => (agent.connected ? undefined : true), `${name}: the agent to be cut off`);
      expect(s.logs.filter((l) => l.msg === FLOODING).length).toBe(before + 1);
    }
  });

  it('announcements for a job that already ended are counted', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const agent = await connectAgent(s.url, { nodeId: 'ws-ended' });
    agents.push(agent);
    const done = await exec(s.url, 'ws-ended', { action: 'tools.ping' });
    expect(done.status).toBe(200);
    const jobId = done.body.command_id as string;
    await expectExactThreshold(s, agent, (i) =>
      emit(agent, i % 2 ? 'job:started' : 'job:accepted', { jobId, queued: false }),
    );
  });

  it('a reconnect with the same node id does not inherit the jobs (or exemptions) of the old connection', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent: first, jobId } = await agentWithJob(s, 'ws-again');
    const second = await connectAgent(s.url, { nodeId: 'ws-again' });
    agents.push(second);
    await waitFor(() => (first.connected ? undefined : true), 'the old connection to be replaced');
    const job = await waitFor(async () => {
      const { body } = await api<{ state: string; error: { code: string } }>(s.url, `/api/jobs/${jobId}`);
      return body.state === 'failed' ? body : undefined;
    }, 'the old job to fail');
    expect(job.error.code).toBe('NODE_DISCONNECTED');
    await expectExactThreshold(s, second, (i) =>
      emit(second, i % 2 ? 'job:started' : 'job:accepted', { jobId, queued: false }),
    );
  });

  it('an exempted announcement still goes through the handler checks (a malformed one changes nothing)', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    const { agent, jobId } = await agentWithJob(s, 'ws-valid');
    // Spared (own job, string jobId) but refused by parseJobAccepted: queued is not a boolean. Then,
    // counted (1), one where started and queued contradict each other.
    emit(agent, 'job:accepted', { jobId, queued: 'yes' });
    emit(agent, 'job:accepted', { jobId, queued: true, started: true });
    await sleep(300);
    const before = (await api(s.url, `/api/jobs/${jobId}`)).body;
    expect(before.message ?? null).toBeNull();
    // The job:accepted exemption is used up: a well-formed one now costs budget (2), and still works.
    emit(agent, 'job:accepted', { jobId, queued: true });
    const after = await waitFor(async () => {
      const { body } = await api<{ message?: string }>(s.url, `/api/jobs/${jobId}`);
      return body.message ? body : undefined;
    }, 'the queued message');
    expect(after.message).toBe("waiting in the node's queue");
    // The first job:started is spared, two more are counted (3, 4); the next disconnects.
    for (let i = 0; i < 3; i++) emit(agent, 'job:started', { jobId });
    await sleep(400);
    expect(agent.connected).toBe(true);
    emit(agent, 'job:started', { jobId });
    await waitFor(() => (agent.connected ? undefined : true), 'the agent to be cut off');
  });

  it('leaves the progress budget and its checks as they were: announcements are not progress', async () => {
    const s = (server = await startServer({
      limits: { ...LIMITS, progressEventsPerSecond: 0.001, progressBurst: 1 },
    }));
    const { agent, jobId } = await agentWithJob(s, 'ws-prog');
    emit(agent, 'job:accepted', { jobId, queued: false });
    emit(agent, 'job:started', { jobId });
    emit(agent, 'job:progress', { jobId, progress: 0.25 }); // 1 event unit, the job's 1 progress unit
    emit(agent, 'job:progress', { jobId, progress: 0.75 }); // 1 event unit, over the progress budget
    await waitFor(
      () => s.logs.find((l) => l.msg === 'job:progress events over budget for this job are dropped'),
      'the progress warning',
    );
    emit(agent, 'job:progress', { jobId: 'not-mine', progress: 0.5 }); // over the event budget: dropped
    await sleep(300);
    const { body } = await api(s.url, `/api/jobs/${jobId}`);
    expect(body.progress).toBe(0.25);
    expect(agent.connected).toBe(true);
    // No misbehaviour line for the announcements themselves.
    expect(s.logs.filter((l) => typeof l.msg === 'string' && l.msg.includes('misbehaved'))).toEqual([]);
  });

  it('records the job state the announcements say under a budget they would exhaust (30 execs, accept true/started)', async () => {
    const s = (server = await startServer({ limits: LIMITS }));
    for (const [nodeId, accept] of [
      ['ws-two', true],
      ['ws-one', 'started'],
    ] as const) {
      const agent = await connectAgent(s.url, { nodeId, accept });
      agents.push(agent);
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => exec(s.url, nodeId, { action: 'tools.ping' })),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(agent.connected).toBe(true);
    }
    const { body } = await api(s.url, '/api/jobs?limit=100');
    expect(body.jobs).toHaveLength(60);
    expect(body.jobs.filter((j: { state: string }) => j.state !== 'succeeded')).toEqual([]);
    expect(s.logs.filter((l) => l.msg === FLOODING)).toEqual([]);
  });
});
