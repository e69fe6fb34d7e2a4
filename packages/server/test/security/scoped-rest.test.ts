import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  openAgentSocket,
  startServer,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { startScopedServer, T, type ScopedServer } from './scoped-server.js';
import { PROTOCOL_VERSION } from '@openclaw-node/core';

let server: ScopedServer | TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

/** The studio: ws-1 and ws-2 (the admin's full-access token connects ws-2), render-1. */
async function studio(): Promise<ScopedServer> {
  const s = await startScopedServer();
  server = s;
  agents.push(await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 }));
  agents.push(await connectAgent(s.url, { nodeId: 'ws-2', token: T.admin }));
  agents.push(await connectAgent(s.url, { nodeId: 'render-1', token: T.render }));
  return s;
}

describe('token roles on the REST API', () => {
  it('refuses agent tokens on every route, saying what they are for', async () => {
    const s = await studio();
    const { status, body } = await api(s.url, '/api/nodes', { token: T.ws1 });
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'FORBIDDEN', details: { token: 'ws-1', roles: ['agent'] } });
    expect(body.error.message).toContain('agent token');
  });

  it('lets a viewer read only its nodes and nothing else', async () => {
    const s = await studio();
    const nodes = await api(s.url, '/api/nodes', { token: T.wall });
    expect(nodes.status).toBe(200);
    expect(nodes.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['ws-1']);
    const plugins = await api(s.url, '/api/plugins', { token: T.wall });
    expect(plugins.body.plugins[0].nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['ws-1']);
    const other = await api(s.url, '/api/nodes/ws-2', { token: T.wall });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({
      code: 'FORBIDDEN',
      details: { node_id: 'ws-2', token: 'wall' },
    });
    const run = await exec(s.url, 'ws-1', { action: 'tools.ping' }, { token: T.wall });
    expect(run.status).toBe(403);
    expect(run.body.error.details).toMatchObject({ method: 'POST', token: 'wall' });
    expect(agents[0]!.execs).toEqual([]);
  });

  it('lets an operator run its actions on its nodes, and refuses the rest naming what is out of scope', async () => {
    const s = await studio();
    const ok = await exec(s.url, 'ws-2', { action: 'tools.ping' }, { token: T.ci });
    expect(ok.status).toBe(200);
    const action = await exec(
      s.url,
      'ws-2',
      { action: 'tools.render', params: { script: '/x.nk' } },
      { token: T.ci },
    );
    expect(action.status).toBe(403);
    expect(action.body.error).toEqual({
      code: 'FORBIDDEN',
      message: 'The token "ci" is not allowed to run tools.render',
      details: { action: 'tools.render', token: 'ci' },
    });
    const node = await exec(s.url, 'render-1', { action: 'tools.ping' }, { token: T.ci });
    expect(node.status).toBe(403);
    expect(node.body.error.details).toEqual({ node_id: 'render-1', token: 'ci' });
    expect(agents[1]!.execs.map((e) => e.action)).toEqual(['tools.ping']);
    expect(agents[2]!.execs).toEqual([]);
    const listed = await api(s.url, '/api/nodes', { token: T.ci });
    expect(listed.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['ws-1', 'ws-2']);
  });

  it('keeps a fan-out to the operator’s nodes and refuses nodes named outside them', async () => {
    const s = await studio();
    const fan = await api(s.url, '/api/exec', {
      token: T.ci,
      body: { target: { all: true }, action: 'tools.ping', wait: true },
    });
    expect(fan.status).toBe(200);
    expect(fan.body.jobs.map((j: { node_id: string }) => j.node_id).sort()).toEqual(['ws-1', 'ws-2']);
    expect(agents[2]!.execs).toEqual([]);
    const named = await api(s.url, '/api/exec', {
      token: T.ci,
      body: { target: { nodes: ['ws-1', 'render-1'] }, action: 'tools.ping' },
    });
    expect(named.status).toBe(403);
    expect(named.body.error.details).toEqual({ node_id: 'render-1', token: 'ci' });
    const action = await api(s.url, '/api/exec', {
      token: T.ci,
      body: { target: { all: true }, action: 'tools.render', params: { script: '/x.nk' } },
    });
    expect(action.status).toBe(403);
  });

  it('shows a node-scoped token only its nodes’ jobs', async () => {
    const s = await studio();
    const mine = await exec(s.url, 'ws-1', { action: 'tools.ping' }, { token: T.admin });
    const theirs = await exec(s.url, 'render-1', { action: 'tools.ping' }, { token: T.admin });
    const list = await api(s.url, '/api/jobs', { token: T.wall });
    expect(list.body.jobs.map((j: { node_id: string }) => j.node_id)).toEqual(['ws-1']);
    expect((await api(s.url, `/api/jobs/${mine.body.command_id}`, { token: T.wall })).status).toBe(200);
    const hidden = await api(s.url, `/api/jobs/${theirs.body.command_id}`, { token: T.wall });
    expect(hidden.status).toBe(403);
    expect((await api(s.url, '/api/jobs?node=render-1', { token: T.wall })).status).toBe(403);
    const cancel = await api(s.url, `/api/jobs/${theirs.body.command_id}/cancel`, {
      token: T.ci,
      method: 'POST',
    });
    expect(cancel.status).toBe(403);
  });

  it('accepts the admin token by its hash from the file', async () => {
    const s = await studio();
    const { status, body } = await api(s.url, '/api/nodes', { token: T.admin });
    expect(status).toBe(200);
    expect(body.count).toBe(3);
  });
});

describe('agent tokens at the handshake', () => {
  it('refuses a workstation token claiming another node id, and any agent token outside its globs', async () => {
    const s = await studio();
    for (const [token, nodeId] of [
      [T.ws1, 'ws-2'],
      [T.render, 'ws-9'],
      [T.ci, 'ws-3'],
    ] as const) {
      const { socket, error } = await openAgentSocket(s.url, { token, nodeId, protocol: PROTOCOL_VERSION });
      socket.close();
      expect(error?.data?.code).toBe('FORBIDDEN');
    }
    const { socket, error } = await openAgentSocket(s.url, {
      token: T.render,
      nodeId: 'render-7',
      protocol: PROTOCOL_VERSION,
    });
    socket.close();
    expect(error).toBeUndefined();
  });
});

describe('full-access tokens', () => {
  it('keep working with a start-up warning that recommends scoped entries in the tokens file', async () => {
    const s = await startServer();
    server = s;
    expect((await api(s.url, '/api/nodes')).status).toBe(200);
    const warning = s.logs.find((l) => String(l.msg).includes('full access'));
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning?.msg)).toContain('OPENCLAW_TOKENS_FILE');
  });
});
