/** A real agent process whose only plugin answers at once: the exec path with no action cost. */
import { createAgent, resolveAgentConfig } from '@openclaw-node/agent';
import pino from 'pino';
import { benchPlugin } from './bench-plugin.js';

const config = resolveAgentConfig({
  node_id: process.env.BENCH_NODE_ID ?? 'bench-1',
  server_url: process.env.BENCH_SERVER_URL,
  auth_token: process.env.BENCH_TOKEN,
  plugins: ['bench'],
  allowed_paths: [],
});
const agent = createAgent({ config, registry: { bench: benchPlugin }, logger: pino({ level: 'warn' }) });
agent.start();
await agent.ready;
process.stdout.write('ready\n');
process.on('SIGTERM', () => void agent.stop().then(() => process.exit(0)));
