import type { RevokedNotice } from '@openclaw-node/core';
import { PROTOCOL_VERSION } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  openAgentSocket,
  waitFor,
  type FakeAgent,
} from '@openclaw-node/test-support/server';
import { startScopedServer, studioTokensYaml, T, type ScopedServer } from './scoped-server.js';

let server: ScopedServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

async function connected(): Promise<{
  s: ScopedServer;
  ws1: FakeAgent;
  render: FakeAgent;
  notices: RevokedNotice[];
}> {
  const s = await startScopedServer();
  server = s;
  const ws1 = await connectAgent(s.url, { nodeId: 'ws-1', token: T.ws1 });
  const render = await connectAgent(s.url, { nodeId: 'render-1', token: T.render });
  agents.push(ws1, render);
  const notices: RevokedNotice[] = [];
  ws1.socket.on('session:revoked', (notice) => notices.push(notice));
  return { s, ws1, render, notices };
}

describe('tokens file reload', () => {
  it('disconnects an agent whose token was removed, telling it why first, and refuses it afterwards', async () => {
    const { s, ws1, render, notices } = await connected();
    await s.writeTokens(studioTokensYaml({ dropWs1: true }));
    await waitFor(() => (ws1.connected ? undefined : true), 'ws-1 to be disconnected');
    expect(notices).toEqual([{ code: 'AUTH_INVALID', reason: 'The token of this agent was revoked' }]);
    expect(render.connected).toBe(true);
    const listed = await api(s.url, '/api/nodes', { token: T.admin });
    expect(listed.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['render-1']);
    const again = await openAgentSocket(s.url, { token: T.ws1, nodeId: 'ws-1', protocol: PROTOCOL_VERSION });
    again.socket.close();
    expect(again.error?.data?.code).toBe('AUTH_INVALID');
    const line = s.logs.find((l) => l.msg === 'agent disconnected: its token no longer allows it');
    expect(line).toMatchObject({
      node_id: 'ws-1',
      token: 'ws-1',
      address: '127.0.0.1',
      code: 'AUTH_INVALID',
    });
  });

  it('disconnects an agent whose token no longer covers its node id', async () => {
    const { s, ws1, notices } = await connected();
    await s.writeTokens(studioTokensYaml({ ws1Nodes: ['ws-9'] }));
    await waitFor(() => (ws1.connected ? undefined : true), 'ws-1 to be disconnected');
    expect(notices).toEqual([
      { code: 'FORBIDDEN', reason: 'The token "ws-1" is not allowed to connect as node "ws-1"' },
    ]);
  });

  it('keeps every agent and the previous tokens when the new file is invalid', async () => {
    const { s, ws1, render, notices } = await connected();
    await s.writeTokens('tokens:\n  - name: oops\n    roles: [everything]\n');
    await waitFor(
      () => s.logs.find((l) => l.msg === 'tokens file rejected; the previous tokens stay in force'),
      'the rejection',
    );
    expect(ws1.connected && render.connected).toBe(true);
    expect(notices).toEqual([]);
    expect((await api(s.url, '/api/nodes', { token: T.admin })).body.count).toBe(2);
  });

  it('keeps agents whose token still allows them when other entries change', async () => {
    const { s, ws1, render } = await connected();
    await s.writeTokens(studioTokensYaml({ ws1Nodes: ['ws-1', 'ws-1b'] }));
    await waitFor(() => s.logs.find((l) => l.msg === 'tokens file reloaded'), 'the reload');
    // The re-check runs right after the reload; give it a moment to (not) act.
    await api(s.url, '/api/health', { token: null });
    expect(ws1.connected && render.connected).toBe(true);
  });
});
