import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutRedis, startRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import {
  api,
  createWorkspace,
  freePort,
  repoRoot,
  startAgentProcess,
  startServerProcess,
  waitFor,
  writeAgentConfig,
  type RunningProcess,
} from './harness.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';

// Two real server processes sharing a real redis-server, behind one TCP address; a real agent
// process connects through it. REST goes to either process directly.
const TOKEN = 'scale-out-e2e-token-5c1d9f3a7e';
const slowPlugin = path.join(repoRoot, 'test/fixtures/slow-plugin');

let redis: RedisServer;
let workspace: Awaited<ReturnType<typeof createWorkspace>>;
let balancer: TcpBalancer;
const ports: number[] = [];
const servers = new Map<string, RunningProcess>();
let agent: RunningProcess;

function startServer(id: string, port: number): RunningProcess {
  const server = startServerProcess(port, {
    OPENCLAW_NODE_TOKEN: TOKEN,
    OPENCLAW_REDIS_URL: redis.url,
    OPENCLAW_PROCESS_ID: id,
    OPENCLAW_CLUSTER_HEARTBEAT_MS: '200',
    OPENCLAW_CLUSTER_PROCESS_TTL_MS: '1500',
  });
  servers.set(id, server);
  return server;
}

const base = (port: number): string => `http://127.0.0.1:${port}`;
const health = async (port: number): Promise<true | undefined> =>
  (await api(base(port), '/api/health', { token: TOKEN })).status === 200 ? true : undefined;
const nodesOn = async (port: number): Promise<{ node_id: string }[]> =>
  (await api(base(port), '/api/nodes', { token: TOKEN })).body.nodes as { node_id: string }[];

beforeAll(async () => {
  redis = await startRedis();
  workspace = await createWorkspace();
  ports.push(await freePort(), await freePort());
  startServer('a', ports[0]!);
  startServer('b', ports[1]!);
  for (const port of ports) await waitFor(() => health(port), `server on ${port}`, 20_000);
  balancer = await startTcpBalancer(ports);
  const config = await writeAgentConfig(workspace.dir, {
    node_id: 'ws-scale',
    server_url: `ws://127.0.0.1:${balancer.port}/ws`,
    auth_token: TOKEN,
    plugins: [slowPlugin],
    heartbeat_interval: 30,
  });
  agent = startAgentProcess(config, {});
  for (const port of ports) {
    await waitFor(
      async () => ((await nodesOn(port)).some((n) => n.node_id === 'ws-scale') ? true : undefined),
      `ws-scale listed on ${port}`,
      20_000,
    );
  }
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await Promise.all([...servers.values()].map((s) => s.stop()));
  await balancer?.close();
  await redis?.stop();
  await workspace?.cleanup();
});

describe.skipIf(skipWithoutRedis)('scale-out: two server processes and Redis, end to end', () => {
  it('runs an exec sent to the process that does not hold the agent', async () => {
    expect(balancer.counts.get(ports[0]!)).toBeGreaterThan(0);
    const response = await api(base(ports[1]!), '/api/nodes/ws-scale/exec', {
      token: TOKEN,
      body: { action: 'slow.wait', params: { ms: 50 } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.result).toEqual({ waited_ms: 50 });
  });

  it('ends the jobs of a killed process lost; its agent reconnects to the other and works', async () => {
    const accepted = await api(base(ports[1]!), '/api/nodes/ws-scale/exec', {
      token: TOKEN,
      body: { action: 'slow.wait', params: { ms: 60_000 }, wait: false },
    });
    expect(accepted.status).toBe(202);
    const id = accepted.body.command_id as string;
    await waitFor(
      async () => {
        const job = await api(base(ports[1]!), `/api/jobs/${id}`, { token: TOKEN });
        return ((job.body.progress as number | undefined) ?? 0) > 0 ? true : undefined;
      },
      'progress from the node',
      20_000,
    );
    // Process a holds the agent's socket: kill it without a chance to clean up.
    servers.get('a')!.process.kill('SIGKILL');
    await servers.get('a')!.process.catch(() => undefined);
    const lost = await waitFor(
      async () => {
        const job = await api(base(ports[1]!), `/api/jobs/${id}`, { token: TOKEN });
        return job.body.state === 'lost' ? job.body : undefined;
      },
      'the job to end lost',
      20_000,
    );
    expect((lost.error as { code: string }).code).toBe('JOB_LOST');
    await waitFor(
      async () => ((await nodesOn(ports[1]!)).some((n) => n.node_id === 'ws-scale') ? true : undefined),
      'ws-scale back, on b',
      30_000,
    );
    expect(balancer.counts.get(ports[1]!)).toBeGreaterThan(0);
    const again = await api(base(ports[1]!), '/api/nodes/ws-scale/exec', {
      token: TOKEN,
      body: { action: 'slow.wait', params: { ms: 10 } },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.result).toEqual({ waited_ms: 10 });
  }, 90_000);
});
