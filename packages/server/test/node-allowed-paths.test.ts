import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  startServer,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

let server: TestServer | undefined;
let agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents) agent.close();
  agents = [];
  await server?.close();
  server = undefined;
});

async function connect(
  s: TestServer,
  nodeId: string,
  hello: Record<string, unknown> = {},
): Promise<FakeAgent> {
  const agent = await connectAgent(s.url, { nodeId, hello });
  agents.push(agent);
  expect(agent.helloAck).toMatchObject({ ok: true, serverVersion: expect.any(String) });
  return agent;
}

const droppedLines = (s: TestServer) => s.logs.filter((l) => l.msg === 'allowed_paths of the hello dropped');

describe("a hello's allowed_paths", () => {
  it('are shown on GET /api/nodes/:id as the agent sent them, and not in the node list', async () => {
    const s = (server = await startServer());
    const paths = ['/mnt/projects', 'P:\\projects', '\\\\fileserver\\show'];
    await connect(s, 'ws-001', { allowed_paths: paths });
    const { status, body } = await api(s.url, '/api/nodes/ws-001');
    expect(status).toBe(200);
    expect(body.allowed_paths).toEqual(paths);
    const list = await api(s.url, '/api/nodes');
    expect(list.body.nodes[0]).not.toHaveProperty('allowed_paths');
    expect(droppedLines(s)).toEqual([]);
  });

  it('are absent for an agent that does not send them (older agents), an empty list stays empty', async () => {
    const s = (server = await startServer());
    await connect(s, 'ws-old');
    await connect(s, 'ws-none', { allowed_paths: [] });
    await connect(s, 'ws-null', { allowed_paths: null });
    expect((await api(s.url, '/api/nodes/ws-old')).body).not.toHaveProperty('allowed_paths');
    expect((await api(s.url, '/api/nodes/ws-none')).body.allowed_paths).toEqual([]);
    expect((await api(s.url, '/api/nodes/ws-null')).body).not.toHaveProperty('allowed_paths');
    expect(droppedLines(s)).toEqual([]);
  });

  it('are dropped whole with a log line when hostile, and the agent stays connected', async () => {
    const s = (server = await startServer());
    const escape = '/mnt/\u001b[2J\u001b]0;pwned\u0007';
    const hostile: Record<string, unknown> = {
      'ws-many': Array.from({ length: 65 }, (_, i) => `/mnt/p${i}`),
      'ws-long': ['/mnt/ok', `/${'a'.repeat(1024)}`],
      'ws-escape': ['/mnt/ok', escape],
      'ws-bidi': ['/mnt/\u202eexe.txt'],
      'ws-relative': ['projects'],
      'ws-number': ['/mnt/ok', 42],
      'ws-string': '/mnt/projects',
      'ws-object': { 0: '/mnt/projects', length: 1 },
    };
    const connected = [];
    for (const [nodeId, value] of Object.entries(hostile)) {
      connected.push(await connect(s, nodeId, { allowed_paths: value }));
    }
    for (const nodeId of Object.keys(hostile)) {
      const { status, body } = await api(s.url, `/api/nodes/${nodeId}`);
      expect(status, nodeId).toBe(200);
      expect(body, nodeId).not.toHaveProperty('allowed_paths');
    }
    expect(connected.every((agent) => agent.connected)).toBe(true);

    const lines = droppedLines(s);
    expect(lines.map((l) => l.node_id).sort()).toEqual(Object.keys(hostile).sort());
    expect(lines.find((l) => l.node_id === 'ws-many')?.reason).toBe(
      'hello.allowed_paths has 65 entries, more than 64',
    );
    expect(lines.find((l) => l.node_id === 'ws-long')?.reason).toBe(
      'hello.allowed_paths[1] is longer than 1024 characters',
    );
    expect(lines.find((l) => l.node_id === 'ws-escape')?.reason).toBe(
      'hello.allowed_paths[1] has control or bidirectional characters',
    );
    // The log says why, never what: the agent's text does not reach it.
    expect(JSON.stringify(s.logs)).not.toContain('pwned');
  });

  it('keep the longest and most numerous lists the limits allow', async () => {
    const s = (server = await startServer());
    const paths = Array.from({ length: 64 }, (_, i) => `/${String(i).padStart(1023, 'x')}`);
    await connect(s, 'ws-full', { allowed_paths: paths });
    expect((await api(s.url, '/api/nodes/ws-full')).body.allowed_paths).toEqual(paths);
  });
});
