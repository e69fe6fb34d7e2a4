/**
 * Call an OpenClaw Node server from TypeScript with the typed client, @openclaw-node/client.
 *
 *   npm install @openclaw-node/client
 *   export OPENCLAW_SERVER=http://pipeline:8765 OPENCLAW_TOKEN=...
 *   npx --no-install tsx typescript-client.ts                                    # health, nodes and plugins
 *   npx --no-install tsx typescript-client.ts ws-042 explorer.open_folder '{"path": "/mnt/show/sh010"}'
 *
 * Before running an action it prints the action's declared result schema from /api/plugins: the
 * agent checks every result against it, so a script can rely on that shape to chain actions.
 * Exit code 0 on success; on failure the error code is printed and the exit code is 1.
 */
import { createClient, OpenClawApiError } from '@openclaw-node/client';

const [nodeId, action = 'explorer.ping', paramsJson = '{}'] = process.argv.slice(2);
const client = createClient({
  server: process.env.OPENCLAW_SERVER ?? 'http://127.0.0.1:8765',
  ...(process.env.OPENCLAW_TOKEN ? { token: process.env.OPENCLAW_TOKEN } : {}),
});

async function overview(): Promise<void> {
  const health = await client.health();
  console.log(`server ${client.server}: ${health.status}, version ${health.version}`);
  for (const node of (await client.nodes()).nodes) {
    console.log(`node ${node.node_id} (${node.platform}): ${node.plugins.join(', ')}`);
  }
  for (const plugin of (await client.plugins()).plugins) {
    console.log(`plugin ${plugin.name}: ${Object.keys(plugin.actions).sort().join(', ')}`);
  }
}

async function run(node: string): Promise<void> {
  const params = JSON.parse(paramsJson) as Record<string, unknown>;
  const [pluginName = '', actionName = ''] = action.split('.');
  const declared = (await client.plugin(pluginName)).actions[actionName]?.result;
  console.log(`${action} returns ${declared ? JSON.stringify(declared) : 'an undeclared result'}`);
  const answer = await client.exec(node, { action, params });
  console.log(`job ${answer.command_id} succeeded in ${answer.duration_ms} ms`);
  console.log(JSON.stringify(answer.result, null, 2));
}

try {
  await (nodeId === undefined ? overview() : run(nodeId));
} catch (error) {
  if (error instanceof OpenClawApiError) {
    // An answer of the server: its error code, the HTTP status, and the field at fault if any.
    const field = typeof error.details?.field === 'string' ? `\n  field: ${error.details.field}` : '';
    console.error(`error ${error.code} (HTTP ${error.httpStatus}): ${error.message}${field}`);
  } else {
    // SERVER_UNREACHABLE, REQUEST_TIMEOUT… carry a code too; anything else is a bug here.
    const { code = 'ERROR', message = String(error) } = error as { code?: string; message?: string };
    console.error(`error ${code}: ${message}`);
  }
  process.exitCode = 1;
}
