import type { BenchContext } from './context.js';
import { freePort, ServerProcess } from './server-process.js';
import { simulatedHello } from './swarm/hello.js';
import { Swarm } from './swarm/swarm.js';

/** One server process as this run starts them (store, launcher, node flags from the context). */
export async function startBenchServer(
  ctx: BenchContext,
  store: 'memory' | 'sqlite',
  options: { launcher?: 'bench'; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  return ServerProcess.start(
    {
      root: ctx.root,
      port: await freePort(),
      token: ctx.token,
      store,
      fromSource: ctx.fromSource,
      launcher: options.launcher ?? ctx.launcher,
      nodeArgs: ctx.serverNodeArgs,
      ...(options.env ? { env: options.env } : {}),
    },
    ctx.flags,
  );
}

/**
 * The exec figures' simulated agents (`sim-0` …), connected and registered with `agentUrl`, and as
 * many more with each of `moreAgentUrls` (same ids, same simulator process).
 */
export async function connectExecAgents(
  ctx: BenchContext,
  agentUrl: string,
  moreAgentUrls: string[] = [],
): Promise<Swarm> {
  const count = ctx.settings.execAgents * (1 + moreAgentUrls.length);
  const swarm = await Swarm.spawn({
    serverUrl: agentUrl,
    moreServerUrls: moreAgentUrls,
    token: ctx.token,
    count: ctx.settings.execAgents,
    processes: 1,
    idPrefix: 'sim-',
    hello: simulatedHello({ bench: true }),
  });
  swarm.connect();
  await swarm.waitFor((p) => p.registered === count, 60_000, 'exec agents registered');
  return swarm;
}
