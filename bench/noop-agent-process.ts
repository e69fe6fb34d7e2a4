import { execa } from 'execa';
import path from 'node:path';

/** The real agent with the no-op plugin (bench/noop-agent.ts) in its own process. */
export interface NoopAgentProcess {
  /** SIGTERM (the agent's clean stop) and wait for the exit. */
  stop(): Promise<void>;
}

/** Start bench/noop-agent.ts against `agentUrl`; resolves once it registered (it printed "ready"). */
export async function startNoopAgent(o: {
  root: string;
  agentUrl: string;
  token: string;
  nodeId: string;
}): Promise<NoopAgentProcess> {
  const agent = execa(process.execPath, [...process.execArgv, path.join(o.root, 'bench/noop-agent.ts')], {
    env: { BENCH_SERVER_URL: o.agentUrl, BENCH_TOKEN: o.token, BENCH_NODE_ID: o.nodeId },
    reject: false,
  });
  const stop = async (): Promise<void> => {
    if (agent.exitCode === null && agent.signalCode === null) agent.kill('SIGTERM');
    await agent;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      agent.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      void agent.then((r) => reject(new Error(`the no-op agent exited: ${String(r.stderr).slice(-2000)}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
