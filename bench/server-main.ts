/**
 * The benchmark's server process: `createServer` exactly as `openclaw server start` builds it (tokens
 * and security settings from the environment, logs at warn on stderr), with bench settings the CLI
 * does not expose: the per-token exec rate limit is off (the figures are the server's, not the abuse
 * limit's 600/min), the per-agent event budget is raised above the real agent's sequential rate, and
 * the job store is chosen by BENCH_STORE. `bench/run.ts --cli` uses the CLI instead.
 *
 * Scale-out mode, as the CLI reads it: OPENCLAW_REDIS_URL (empty: one process), OPENCLAW_REDIS_ADAPTER
 * (pubsub | streams), OPENCLAW_PROCESS_ID; the job store is then Redis and BENCH_STORE is ignored.
 *
 * Usage: server-main.ts <host> <port>; env OPENCLAW_NODE_TOKEN, OPENCLAW_DATA_DIR, BENCH_STORE, BENCH_METRICS
 * (off: no metrics), BENCH_TWIN_PORT and BENCH_TWIN_METRICS (a second server in the same process, data
 * in OPENCLAW_DATA_DIR/twin: the metrics section compares the two without two processes' variance).
 */
import path from 'node:path';
import {
  createServer,
  securityOptionsFromEnv,
  tuneProcessForServer,
  type OpenClawServer,
  type ServerOptions,
} from '@openclaw-node/server';
import pino from 'pino';

// As `openclaw server start` does before it builds the server.
tuneProcessForServer();
const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
const env = (name: string): string | undefined => process.env[name]?.trim() || undefined;
const redis = env('OPENCLAW_REDIS_URL');
const adapter = env('OPENCLAW_REDIS_ADAPTER');
const processId = env('OPENCLAW_PROCESS_ID');
if (adapter !== undefined && adapter !== 'pubsub' && adapter !== 'streams') {
  throw new Error(`OPENCLAW_REDIS_ADAPTER must be pubsub or streams, got ${adapter}`);
}
const security = securityOptionsFromEnv(process.env);
const storage: Pick<ServerOptions, 'store' | 'cluster'> =
  redis === undefined
    ? { store: process.env.BENCH_STORE === 'memory' ? 'memory' : 'sqlite' }
    : {
        cluster: {
          redis,
          ...(adapter === undefined ? {} : { adapter }),
          ...(processId === undefined ? {} : { processId }),
        },
      };
/** BENCH_TWIN_PORT: a second server in this process (bench/sections/metrics.ts), metrics per BENCH_TWIN_METRICS. */
const twinPort = env('BENCH_TWIN_PORT');
if (twinPort !== undefined && !/^[1-9]\d{0,4}$/.test(twinPort)) {
  throw new Error(`BENCH_TWIN_PORT must be a TCP port number, got ${JSON.stringify(twinPort)}`);
}
const servers = [
  start(Number(port), process.env.BENCH_METRICS !== 'off'),
  ...(twinPort === undefined
    ? []
    : [start(Number(twinPort), process.env.BENCH_TWIN_METRICS !== 'off', 'twin')]),
];
// The twin listens first: once the main port answers /api/health (what the bench waits for), both do.
for (const server of [...servers].reverse()) await server.listen();
const stop = (): void =>
  void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

function start(listenPort: number, metrics: boolean, dataSubdir?: string): OpenClawServer {
  const dataDir = env('OPENCLAW_DATA_DIR');
  return createServer({
    ...security,
    ...storage,
    host,
    port: listenPort,
    ...(dataSubdir !== undefined && dataDir !== undefined ? { dataDir: path.join(dataDir, dataSubdir) } : {}),
    // The abuse limits a bench run would hit, not the server: the per-token exec rate, and the agent
    // event budget, which the progress probe's agent exceeds on a quiet machine (one job:progress per
    // round trip, some thousands a second over its jobs; progress is what an agent sends unasked).
    // The flood control still runs on every event.
    limits: { ...security.limits, execRatePerMinute: 0, agentEventsPerSecond: 1_000_000 },
    // BENCH_METRICS=off: the reference of the metrics-cost section (bench/sections/metrics.ts).
    metrics: { enabled: metrics },
    logger: pino(
      { level: process.env.OPENCLAW_LOG_LEVEL ?? 'warn', name: 'openclaw-server' },
      pino.destination(2),
    ),
  });
}
