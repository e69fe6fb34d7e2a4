import os from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent } from '../../src/index.js';
import {
  AGENT_TOKEN,
  OPERATOR_TOKEN,
  startRealServer,
  type RealServer,
} from '../doctor/support/real-server.js';
import { testRegistry } from '../fixtures/test-plugins.js';
import { startTestServer, type TestServer } from './test-server.js';

const TOKEN = 'good-token-0123456789';
let servers: TestServer[] = [];
let real: RealServer | undefined;
let agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await Promise.all(servers.map((server) => server.close()));
  await real?.close();
  agents = [];
  servers = [];
  real = undefined;
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer({ token: TOKEN, ...options });
  servers.push(s);
  return s;
}

function agent(url: string, nodeId = 'ws-042', builtin = false, token = TOKEN): Agent {
  const config = resolveAgentConfig(
    {
      node_id: nodeId,
      server_url: url,
      auth_token: token,
      plugins: builtin ? ['explorer', 'rv', 'nuke'] : ['demo'],
      allowed_paths: [os.tmpdir()],
    },
    { env: {} },
  );
  const a = createAgent({
    config,
    logger: pino({ level: 'silent' }),
    ...(builtin ? {} : { registry: testRegistry }),
    platform: 'linux',
    backoff: { initialMs: 50, maxMs: 200 },
  });
  agents.push(a);
  a.start();
  return a;
}

describe('the agent names its manifests by ref', () => {
  it('sends them in full on the same connection when the server has not seen them, and by ref after a reconnect', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    expect(s.refHellos).toHaveLength(1);
    expect(s.refHellos[0]).not.toHaveProperty('plugins');
    expect(s.refHellos[0]!.pluginRefs).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    expect(s.hellos).toHaveLength(1);
    expect(s.hellos[0]!.plugins.map((p) => p.name)).toEqual(['demo']);
    expect(s.sockets).toHaveLength(1);

    s.sockets[0]!.disconnect(true);
    const { payload } = await s.helloNumber(2);
    expect(s.refHellos).toHaveLength(2);
    expect(s.sockets).toHaveLength(2);
    // Taken by ref: the test server filled in the manifest it had been sent before.
    expect(payload.plugins.map((p) => p.name)).toEqual(['demo']);
  });

  it('sends full hellos from then on to a server that refuses a hello by ref (an older server), and keeps running', async () => {
    const s = await server({ refs: 'refuse' });
    const a = agent(s.url);
    await a.ready;
    expect(s.refHellos).toHaveLength(1);
    expect(s.hellos).toHaveLength(1);
    expect(s.hellos[0]!.plugins.map((p) => p.name)).toEqual(['demo']);
    s.sockets.at(-1)!.disconnect(true);
    await s.helloNumber(2);
    expect(s.refHellos).toHaveLength(1);
  });

  it('registers by ref with the real server once another agent sent the same manifests', async () => {
    real = await startRealServer();
    const url = real.url;
    const hellos = async (): Promise<Record<string, number>> => {
      const text = await (
        await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })
      ).text();
      const out: Record<string, number> = {};
      for (const m of text.matchAll(/^openclaw_agent_hellos_total\{outcome="([^"]+)"\} (\d+)/gm))
        out[m[1]!] = Number(m[2]);
      return out;
    };
    const first = agent(real.serverUrl, 'ws-001', true, AGENT_TOKEN);
    await first.ready;
    expect(await hellos()).toEqual({ MANIFEST_UNKNOWN: 1, ok: 1 });
    const second = agent(real.serverUrl, 'ws-002', true, AGENT_TOKEN);
    await second.ready;
    expect(await hellos()).toEqual({ MANIFEST_UNKNOWN: 1, ok: 2 });
    const node = (await (
      await fetch(`${url}/api/nodes/ws-002`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })
    ).json()) as { plugins: string[] };
    expect(node.plugins).toEqual(['explorer', 'nuke', 'rv']);
  });
});
