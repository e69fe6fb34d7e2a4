/**
 * The benchmark's server process: `createServer` exactly as `openclaw server start` builds it (tokens
 * and security settings from the environment, logs at warn on stderr), with two bench settings the CLI
 * does not expose: the per-token exec rate limit is off (the figures are the server's, not the abuse
 * limit's 600/min) and the job store is chosen by BENCH_STORE. `bench/run.ts --cli` uses the CLI instead.
 *
 * Usage: server-main.ts <host> <port>; env OPENCLAW_NODE_TOKEN, OPENCLAW_DATA_DIR, BENCH_STORE.
 */
import { createServer, securityOptionsFromEnv } from '@openclaw-node/server';
import pino from 'pino';

const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
const store = process.env.BENCH_STORE === 'memory' ? 'memory' : 'sqlite';
const security = securityOptionsFromEnv(process.env);
const server = createServer({
  ...security,
  host,
  port: Number(port),
  store,
  limits: { ...security.limits, execRatePerMinute: 0 },
  logger: pino(
    { level: process.env.OPENCLAW_LOG_LEVEL ?? 'warn', name: 'openclaw-server' },
    pino.destination(2),
  ),
});
await server.listen();
const stop = (): void => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
