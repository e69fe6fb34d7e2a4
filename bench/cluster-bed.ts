import type { BenchContext } from './context.js';
import { HttpClient } from './http-client.js';
import { startNoopAgent, type NoopAgentProcess } from './noop-agent-process.js';
import { RedisProcess } from './redis-process.js';
import { freePort, ServerProcess } from './server-process.js';
import { simulatedHello } from './swarm/hello.js';
import { describe, Swarm } from './swarm/swarm.js';

/** The real no-op agent's node id in the scale-out run. */
export const CLUSTER_REAL_NODE = 'bench-real';

/** Redis, two server processes joined through it, and every agent connected to process A only. */
export interface ClusterBed {
  redis: RedisProcess;
  /** Holds every agent's socket. */
  a: ServerProcess;
  /** Holds none: what it runs for them goes through Redis and A. */
  b: ServerProcess;
  /** Node ids of the simulated agents (on A). */
  sims: string[];
  /** Every process of the bed and its pid, for CPU and memory figures. */
  pids(): { a: number; b: number; redis: number };
  close(): Promise<void>;
}

/**
 * Start the bed for one Socket.IO adapter; on any failure everything started so far is stopped
 * (servers, agents, Redis and their temp directories) before the error is rethrown.
 */
export async function startClusterBed(ctx: BenchContext, adapter: 'pubsub' | 'streams'): Promise<ClusterBed> {
  const s = ctx.settings;
  const undo: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    // Agents first, so servers do not spend their shutdown on reconnect attempts; Redis last.
    for (const step of undo.reverse().splice(0)) await step().catch(() => undefined);
  };
  try {
    const redis = await RedisProcess.start();
    undo.push(() => redis.stop());
    const start = async (id: string): Promise<ServerProcess> => {
      const started = await ServerProcess.start(
        {
          root: ctx.root,
          port: await freePort(),
          token: ctx.token,
          store: 'memory', // unused: in scale-out mode the job store is Redis
          fromSource: ctx.fromSource,
          launcher: ctx.launcher,
          nodeArgs: ctx.serverNodeArgs,
          cluster: { redis: redis.url, adapter, processId: `bench-${id}` },
        },
        ctx.flags,
      );
      undo.push(() => started.stop());
      return started;
    };
    const a = await start('a');
    const b = await start('b');
    const agent: NoopAgentProcess = await startNoopAgent({
      root: ctx.root,
      agentUrl: a.agentUrl,
      token: ctx.token,
      nodeId: CLUSTER_REAL_NODE,
    });
    undo.push(() => agent.stop());
    const swarm = await Swarm.spawn({
      serverUrl: a.agentUrl,
      token: ctx.token,
      count: s.execAgents,
      processes: 1,
      idPrefix: 'sim-',
      hello: simulatedHello({ bench: true }),
    });
    undo.push(async () => void (await swarm.stop()));
    swarm.connect();
    await swarm.waitFor((p) => p.registered === s.execAgents, 60_000, 'exec agents registered on A');
    // B learns of A's nodes through Redis: wait until both list them all.
    for (const server of [a, b]) await waitForNodeCount(server, ctx.token, s.execAgents + 1, swarm);
    // The figures count what the servers log under load, not their start-up notices.
    a.clearLogs();
    b.clearLogs();
    return {
      redis,
      a,
      b,
      sims: Array.from({ length: s.execAgents }, (_, i) => `sim-${i}`),
      pids: () => ({ a: a.pid, b: b.pid, redis: redis.pid }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitForNodeCount(
  server: ServerProcess,
  token: string,
  count: number,
  swarm: Swarm,
): Promise<void> {
  const client = new HttpClient(server.base, { token, maxSockets: 1 });
  const deadline = performance.now() + 30_000;
  try {
    for (;;) {
      const r = await client.ok('/api/health');
      const { nodes_connected } = JSON.parse(r.body.toString()) as { nodes_connected: number };
      if (nodes_connected >= count) return;
      if (performance.now() > deadline) {
        throw new Error(
          `${server.base} lists ${nodes_connected} of ${count} nodes after 30 s (${describe(swarm.progress)})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.close();
  }
}
