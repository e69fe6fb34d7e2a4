import { createAgent, resolveAgentConfig, type Agent } from '@openclaw-node/agent';
import { pino } from 'pino';
import { BATTERY_PLUGINS } from './catalog.js';
import type { Edges } from './edges.js';

export const BATTERY_NODE_ID = 'ws-hostile';

/**
 * The agent under test, in-process: every built-in plugin, the one allowed root, every app pointed
 * at a fake, and the recording runtime. Resolves once its hello was accepted.
 */
export async function startBatteryAgent(edges: Edges, serverUrl: string, token: string): Promise<Agent> {
  const config = resolveAgentConfig(
    {
      node_id: BATTERY_NODE_ID,
      server_url: serverUrl,
      auth_token: token,
      plugins: BATTERY_PLUGINS,
      allowed_paths: [edges.dirs.show],
      plugin_config: edges.pluginConfig,
      // Capability pings run once, before hello; a periodic one would start apps mid-battery.
      health_interval: 0,
    },
    { env: {}, onWarning: () => undefined },
  );
  const agent = createAgent({
    config,
    logger: pino({ level: 'silent' }),
    platform: 'linux',
    createRuntime: edges.createRuntime,
  });
  agent.start();
  await agent.ready;
  return agent;
}
