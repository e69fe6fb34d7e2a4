import type { Agent } from '@openclaw-node/agent';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import { BATTERY_NODE_ID, startBatteryAgent } from './battery-agent.js';
import { createEdges, type Edges } from './edges.js';

export type { EdgeActivity, SpawnRecord } from './edges.js';
export type { ProcessRecord } from './process-log.js';

const TOKEN = 'hostile-battery-token-5b9e2c7a41';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** A real server and a real in-process agent whose every outside effect is recorded. */
export interface HostileStack extends Pick<Edges, 'dirs' | 'site' | 'fill' | 'mark' | 'activity'> {
  base: string;
  token: string;
  nodeId: string;
  /** POST /api/nodes/<node>/exec with the body (placeholders filled in). */
  exec(body: unknown, node?: string): Promise<ApiAnswer>;
  /** Any request with the battery's token (unless `auth: false`); `body` is sent as-is. */
  request(route: string, init?: RequestInit & { auth?: boolean }): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

/**
 * Start the stack: the edges, the server on 127.0.0.1:0 and the agent. Resolves once the node is
 * listed by GET /api/nodes and the setup's own activity is behind the whole-file count.
 */
export async function startHostileStack(): Promise<HostileStack> {
  const edges = await createEdges();
  const server: OpenClawServer = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'battery', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
    // The battery sends thousands of execs and a few bad tokens on purpose; rate limits are not under test.
    limits: { execRatePerMinute: 0, authFailuresPerMinute: 100_000 },
  });
  const { url: base } = await server.listen();
  let agent: Agent | undefined;
  try {
    agent = await startBatteryAgent(edges, `${base.replace(/^http/, 'ws')}/ws`, TOKEN);
  } catch (error) {
    await server.close();
    await edges.stop();
    throw error;
  }

  const request = async (route: string, init: RequestInit & { auth?: boolean } = {}): Promise<ApiAnswer> => {
    const headers = new Headers(init.headers);
    if (init.auth !== false) headers.set('authorization', `Bearer ${TOKEN}`);
    const response = await fetch(base + route, { ...init, headers });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, body, text };
  };

  const stack: HostileStack = {
    base,
    token: TOKEN,
    nodeId: BATTERY_NODE_ID,
    dirs: edges.dirs,
    site: edges.site,
    fill: edges.fill,
    mark: edges.mark,
    activity: edges.activity,
    request,
    exec: (body, node = BATTERY_NODE_ID) =>
      request(`/api/nodes/${encodeURIComponent(node)}/exec`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(edges.fill(body)),
      }),
    async stop() {
      await agent?.stop();
      await server.close();
      await edges.stop();
    },
  };
  await waitForNode(stack);
  await edges.settle();
  return stack;
}

async function waitForNode(stack: HostileStack): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { body } = await stack.request('/api/nodes');
    const nodes = (body.nodes as { node_id: string }[] | undefined) ?? [];
    if (nodes.some((n) => n.node_id === stack.nodeId)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`node ${stack.nodeId} did not register`);
}
