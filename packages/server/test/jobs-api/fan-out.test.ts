import { describe, expect, it } from 'vitest';
import {
  api,
  toolsManifest,
  waitFor,
  windowsOnlyManifest,
  type FakeAgent,
  type Json,
} from '@openclaw-node/test-support/server';
import { useTestServer } from '../helpers/server.js';

const t = useTestServer();
const agent = t.agent;

const fanOut = (body: unknown, headers: Record<string, string> = {}) =>
  api(t.url, '/api/exec', { body, headers });

/** Three comp workstations (one a Mac), one lighting box, one without the tools plugin. */
async function studio(): Promise<Record<string, FakeAgent>> {
  const nodes: Record<string, FakeAgent> = {};
  nodes['comp-1'] = await agent(t.url, { nodeId: 'comp-1', hello: { tags: ['comp', 'floor-2'] } });
  nodes['comp-2'] = await agent(t.url, { nodeId: 'comp-2', hello: { tags: ['comp'] } });
  nodes['comp-mac'] = await agent(t.url, {
    nodeId: 'comp-mac',
    hello: { tags: ['comp'], platform: 'darwin', plugins: [toolsManifest(), windowsOnlyManifest()] },
  });
  nodes['light-1'] = await agent(t.url, { nodeId: 'light-1', hello: { tags: ['lighting'] } });
  nodes['render-1'] = await agent(t.url, {
    nodeId: 'render-1',
    hello: { tags: ['comp'], plugins: [], skipped: [{ name: 'tools', reason: 'failed to import' }] },
  });
  return nodes;
}

const ids = (list: Json[]) => list.map((j) => j.node_id as string).sort();

describe('POST /api/exec (fan-out)', () => {
  it('starts one job per node with every tag, answers 202 at once, and lists nodes that cannot run it', async () => {
    const nodes = await studio();
    const { status, body } = await fanOut({
      target: { tags: ['comp'] },
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
    });
    expect(status).toBe(202);
    expect(body.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids(body.jobs)).toEqual(['comp-1', 'comp-2', 'comp-mac']);
    for (const job of body.jobs as Json[]) {
      expect(job).toMatchObject({ state: 'running', links: { self: `/api/jobs/${job.command_id}` } });
    }
    expect(body.unavailable).toEqual([
      { node_id: 'render-1', code: 'PLUGIN_NOT_FOUND', reason: expect.stringContaining('failed to import') },
    ]);
    await waitFor(() => (nodes['comp-2']!.execs.length ? true : undefined), 'delivery');
    expect(nodes['light-1']!.execs).toEqual([]);
    const batch = await waitFor(async () => {
      const { body: page } = await api(t.url, `/api/jobs?batch=${body.batch_id}&state=succeeded`);
      return page.count === 3 ? (page as Record<string, Json>) : undefined;
    }, 'the batch to finish');
    expect(ids(batch.jobs)).toEqual(['comp-1', 'comp-2', 'comp-mac']);
  });

  it('narrows by tags ∩ platform ∩ plugin ∩ nodes', async () => {
    await studio();
    const linuxComp = await fanOut({ target: { tags: ['comp'], platform: 'linux' }, action: 'tools.ping' });
    expect(ids(linuxComp.body.jobs)).toEqual(['comp-1', 'comp-2']);
    expect(ids(linuxComp.body.unavailable)).toEqual(['render-1']);
    const withResolve = await fanOut({ target: { plugin: 'resolve' }, action: 'resolve.ping' });
    expect(ids(withResolve.body.jobs)).toEqual(['comp-mac']);
    const twoTags = await fanOut({ target: { tags: ['comp', 'floor-2'] }, action: 'tools.ping' });
    expect(ids(twoTags.body.jobs)).toEqual(['comp-1']);
    const named = await fanOut({
      target: { nodes: ['light-1', 'comp-2'], tags: ['comp'] },
      action: 'tools.ping',
    });
    expect(ids(named.body.jobs)).toEqual(['comp-2']);
    const everyone = await fanOut({ target: { all: true }, action: 'tools.ping' });
    expect(ids(everyone.body.jobs)).toEqual(['comp-1', 'comp-2', 'comp-mac', 'light-1']);
  });

  it('with "wait": true answers 200 with each result and error', async () => {
    await agent(t.url, { nodeId: 'ok-1', hello: { tags: ['comp'] } });
    await agent(t.url, {
      nodeId: 'bad-1',
      hello: { tags: ['comp'] },
      onExec: () => ({ ok: false, error: { code: 'PATH_NOT_FOUND', message: 'No such folder' } }),
    });
    const { status, body } = await fanOut({
      target: { tags: ['comp'] },
      action: 'tools.open_folder',
      params: { path: '/show/x' },
      wait: true,
    });
    expect(status).toBe(200);
    const byNode = Object.fromEntries((body.jobs as Json[]).map((j) => [j.node_id, j]));
    expect(byNode['ok-1']).toMatchObject({ state: 'succeeded', result: { echo: { path: '/show/x' } } });
    expect(byNode['ok-1'].duration_ms).toBeGreaterThanOrEqual(0);
    expect(byNode['bad-1']).toMatchObject({
      state: 'failed',
      error: { code: 'PATH_NOT_FOUND', message: 'No such folder' },
    });
  });

  it('with "wait": true sends job:cancel for every job still running when the caller hangs up', async () => {
    const slow = [
      await agent(t.url, { nodeId: 'slow-1', hello: { tags: ['comp'] }, onExec: () => 'never' }),
      await agent(t.url, { nodeId: 'slow-2', hello: { tags: ['comp'] }, onExec: () => 'never' }),
    ];
    const quick = await agent(t.url, { nodeId: 'quick-1', hello: { tags: ['comp'] } });
    const caller = new AbortController();
    const pending = api(t.url, '/api/exec', {
      body: { target: { tags: ['comp'] }, action: 'tools.ping', timeout: 600, wait: true },
      signal: caller.signal,
    });
    await waitFor(() => (slow.every((a) => a.execs.length === 1) ? true : undefined), 'execs to arrive');
    await waitFor(async () => {
      const { body } = await api(t.url, '/api/health');
      return body.pending_commands === 2 ? true : undefined;
    }, 'the quick job to end');
    caller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => (slow.every((a) => a.cancels.length === 1) ? true : undefined), 'job:cancel');
    expect(slow.map((a) => a.cancels)).toEqual(slow.map((a) => [{ jobId: a.execs[0]!.jobId }]));
    expect(quick.cancels).toEqual([]);
    const { body } = await api(t.url, `/api/jobs/${quick.execs[0]!.jobId}`);
    expect(body.state).toBe('succeeded');
    await waitFor(async () => {
      const { body: health } = await api(t.url, '/api/health');
      return health.pending_commands === 0 ? true : undefined;
    }, 'the cancelled jobs to end');
    await waitFor(
      () => (t.logs.some((l) => l.msg === 'the caller went away before the answer') ? true : undefined),
      'the hang-up to be logged',
    );
    expect(t.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('skips nodes whose capability check says the action cannot run, with the reason', async () => {
    await agent(t.url, { nodeId: 'ws-ok', hello: { tags: ['comp'] } });
    const broken = await agent(t.url, {
      nodeId: 'ws-no-app',
      hello: {
        tags: ['comp'],
        health: [
          {
            plugin: 'tools',
            available: false,
            reason: 'tools not installed',
            checkedAt: new Date().toISOString(),
          },
        ],
      },
    });
    const { body } = await fanOut({ target: { tags: ['comp'] }, action: 'tools.ping' });
    expect(ids(body.jobs)).toEqual(['ws-ok']);
    expect(body.unavailable).toEqual([
      { node_id: 'ws-no-app', code: 'ACTION_UNAVAILABLE', reason: 'tools not installed' },
    ]);
    expect(broken.execs).toEqual([]);
  });

  it('queues jobs for named nodes that are not connected with "queue": true, lists them otherwise', async () => {
    await agent(t.url, { nodeId: 'ws-on' });
    const plain = await fanOut({ target: { nodes: ['ws-on', 'ws-off'] }, action: 'tools.ping' });
    expect(ids(plain.body.jobs)).toEqual(['ws-on']);
    expect(plain.body.unavailable).toEqual([
      { node_id: 'ws-off', code: 'NODE_NOT_FOUND', reason: expect.stringContaining('not connected') },
    ]);
    const queued = await fanOut({
      target: { nodes: ['ws-on', 'ws-off'] },
      action: 'tools.ping',
      queue: true,
    });
    const off = (queued.body.jobs as Json[]).find((j) => j.node_id === 'ws-off');
    expect(off).toMatchObject({ state: 'queued' });
    const waited = await fanOut({
      target: { nodes: ['ws-on', 'ws-off'] },
      action: 'tools.ping',
      queue: true,
      wait: true,
    });
    expect(waited.status).toBe(200);
    expect(Object.fromEntries((waited.body.jobs as Json[]).map((j) => [j.node_id, j.state]))).toEqual({
      'ws-on': 'succeeded',
      'ws-off': 'queued',
    });
    const late = await agent(t.url, { nodeId: 'ws-off', accept: true });
    await waitFor(() => (late.execs.length === 2 ? true : undefined), 'delivery on connect');
    expect(late.execs[0]!.jobId).toBe(off.command_id);
  });

  it('answers 404 NODE_NOT_FOUND when nothing matches, or nothing that matches can run it', async () => {
    await studio();
    const none = await fanOut({ target: { tags: ['fx'] }, action: 'tools.ping' });
    expect(none.status).toBe(404);
    expect(none.body.error).toMatchObject({ code: 'NODE_NOT_FOUND', details: { target: { tags: ['fx'] } } });
    const cannot = await fanOut({ target: { tags: ['lighting'] }, action: 'nuke.render' });
    expect(cannot.status).toBe(404);
    expect(cannot.body.error.details.unavailable).toEqual([
      { node_id: 'light-1', code: 'PLUGIN_NOT_FOUND', reason: expect.any(String) },
    ]);
  });

  it('answers 400 INVALID_PARAMS when the params fail on every node', async () => {
    await studio();
    const { status, body } = await fanOut({
      target: { tags: ['lighting'] },
      action: 'tools.open_folder',
      params: {},
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.path' } });
  });

  it.each([
    [{ action: 'tools.ping' }, 'body.target'],
    [{ target: {}, action: 'tools.ping' }, 'body.target'],
    [{ target: { tags: 'comp' }, action: 'tools.ping' }, 'body.target.tags'],
    [{ target: { platform: 'amiga' }, action: 'tools.ping' }, 'body.target.platform'],
    [{ target: { nodes: ['bad id'] }, action: 'tools.ping' }, 'body.target.nodes[0]'],
    [{ target: { all: true }, action: 'tools.ping', extra: 1 }, 'body.extra'],
    [{ target: { all: true }, action: 'ping' }, 'action'],
  ])('answers 400 for %j naming the field', async (body, field) => {
    await agent(t.url, { nodeId: 'ws-1' });
    const response = await fanOut(body);
    expect(response.status).toBe(400);
    expect(response.body.error.details.field).toBe(field);
  });
});
