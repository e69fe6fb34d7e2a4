import { PROTOCOL_VERSION, type HelloAck } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  helloFor,
  openAgentSocket,
  waitFor,
  type AgentSocket,
  type FakeAgent,
  type Json,
} from '@openclaw-node/test-support/server';
import { T, sha256, startScopedServer, studioTokensYaml, type ScopedServer } from './scoped-server.js';

// A render-farm token that covers every node id (the documented farm setup), a token allowed to take
// a node over, and a comp workstation whose token may only claim render and gpu tags.
const FARM = 'farm-wildcard-token-mZ7pL0vR5nB1cW9dF4gH6jS8aYt3';
const REIMAGE = 'reimage-token-7pL0vR5nB1cW9dF4gH6jS8aYt3kq8x';
const WS5 = 'ws5-agent-token-L0vR5nB1cW9dF4gH6jS8aYt3kq8xQ2';
// Only fields every version reads, so a test that needs no new field runs against older code too.
const baseYaml = `${studioTokensYaml()}  - name: farm
    sha256: ${sha256(FARM)}
    roles: [agent]
    nodes: ["*"]
`;
const yaml = `${baseYaml}  - name: reimage
    sha256: ${sha256(REIMAGE)}
    roles: [agent]
    nodes: ["ws-1"]
    takeover: true
  - name: ws-5
    sha256: ${sha256(WS5)}
    roles: [agent]
    nodes: ["ws-5"]
    tags: ["render", "gpu*"]
`;
let server: ScopedServer | undefined;
const agents: FakeAgent[] = [];
const sockets: AgentSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

async function start(tokens = yaml): Promise<ScopedServer> {
  server = await startScopedServer({}, tokens);
  return server;
}

const auth = (token: string, nodeId = 'ws-1') => ({ token, nodeId, protocol: PROTOCOL_VERSION });

describe('node takeover', () => {
  it('refuses another token for a connected node id with NODE_ID_IN_USE; the holder keeps its jobs', async () => {
    const s = await start(baseYaml);
    const holder = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 });
    agents.push(holder);
    const { socket, error } = await openAgentSocket(s.url, auth(FARM));
    sockets.push(socket);
    expect(error?.data).toMatchObject({ code: 'NODE_ID_IN_USE', details: { node_id: 'ws-1' } });
    expect(holder.connected).toBe(true);
    expect(holder.replaced).toHaveLength(0);
    const run = await exec(s.url, 'ws-1', { action: 'tools.ping', params: {} }, { token: T.admin });
    expect(run.status).toBe(200);
    expect(holder.execs).toHaveLength(1);
  });

  it('refuses the second of two handshakes that both passed, at its hello', async () => {
    const s = await start(baseYaml);
    const first = await openAgentSocket(s.url, auth(T.ws1));
    const second = await openAgentSocket(s.url, auth(FARM));
    sockets.push(first.socket, second.socket);
    expect(first.error).toBeUndefined();
    expect(second.error).toBeUndefined();
    const ok: HelloAck = await first.socket.timeout(5000).emitWithAck('hello', helloFor('ws-1'));
    expect(ok.ok).toBe(true);
    const refused: HelloAck = await second.socket.timeout(5000).emitWithAck('hello', helloFor('ws-1'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'NODE_ID_IN_USE' } });
    expect(first.socket.connected).toBe(true);
  });

  it('lets the same token replace its own connection (a re-imaged machine), and a takeover token any', async () => {
    const s = await start();
    const old = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 });
    agents.push(old);
    const again = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 });
    agents.push(again);
    expect(again.helloAck?.ok).toBe(true);
    await waitFor(() => (old.replaced.length === 1 ? true : undefined), 'the old connection to be replaced');
    const taker = await connectAgent(s.url, { nodeId: 'ws-1', token: REIMAGE });
    agents.push(taker);
    expect(taker.helloAck?.ok).toBe(true);
    await waitFor(() => (again.replaced.length === 1 ? true : undefined), 'the takeover');
  });
});

describe('agent-supplied tags', () => {
  it('drops tags the token may not claim (logged), so a tag fan-out meant for comp does not reach it', async () => {
    const s = await start();
    const agent = await connectAgent(s.url, {
      nodeId: 'ws-5',
      token: WS5,
      hello: { tags: ['comp', 'render', 'gpu-a100'] },
    });
    agents.push(agent);
    expect(agent.helloAck?.ok).toBe(true);
    const node = await api(s.url, '/api/nodes/ws-5', { token: T.admin });
    expect(node.body.tags).toEqual(['render', 'gpu-a100']);
    const line = s.logs.find((l) => String(l.msg).includes('tags its token may not claim'));
    expect(line).toMatchObject({ node_id: 'ws-5', dropped_tags: ['comp'] });
    const comp = await api(s.url, '/api/exec', {
      token: T.admin,
      body: { action: 'tools.ping', target: { tags: ['comp'] }, params: {} },
    });
    expect(comp.status).toBe(404);
    expect(agent.execs).toHaveLength(0);
  });
});

describe('agent-supplied error codes', () => {
  const answerWith = async (code: string): Promise<{ status: number; error: Json }> => {
    const s = server ?? (await start(baseYaml));
    agents.splice(0).forEach((a) => a.close());
    const agent = await connectAgent(s.url, {
      nodeId: 'ws-1',
      token: T.ws1,
      onExec: () => ({ ok: false, error: { code, message: `the agent says ${code}`, details: { x: 1 } } }),
    });
    agents.push(agent);
    const run = await exec(s.url, 'ws-1', { action: 'tools.ping', params: {} }, { token: T.admin });
    return { status: run.status, error: run.body.error };
  };

  it('maps codes that would make the server speak for itself into ACTION_FAILED (422)', async () => {
    for (const code of ['AUTH_INVALID', 'RATE_LIMITED', 'INTERNAL_ERROR', 'FORBIDDEN', 'NODE_NOT_FOUND']) {
      const { status, error } = await answerWith(code);
      expect(status).toBe(422);
      expect(error).toMatchObject({ code: 'ACTION_FAILED', details: { agent_code: code, x: 1 } });
    }
  });

  it('keeps plugin codes and the documented agent-side codes as sent', async () => {
    const expected: [string, number][] = [
      ['MY_PLUGIN_CODE', 422],
      ['SG_AUTH', 422],
      ['PATH_NOT_ALLOWED', 403],
      ['INVALID_PARAMS', 400],
      ['SG_UNAVAILABLE', 503],
      ['NODE_BUSY', 429],
    ];
    for (const [code, status] of expected) {
      const answer = await answerWith(code);
      expect(answer.status).toBe(status);
      expect(answer.error.code).toBe(code);
    }
  });
});
