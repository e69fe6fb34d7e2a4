import { hostname } from 'node:os';
import path from 'node:path';
import { docsUrl } from '@openclaw-node/core';
import type { SecurityOptions, TokenEntry } from '@openclaw-node/server';
import { Command, Option, UsageError } from '../../clipanion.js';
import { resolveStoreFlags } from '../../jobs/store-flags.js';
import { resolveClusterFlags } from './cluster-flags.js';
import { createCliLogger } from '../../logger.js';
import { waitForShutdown } from '../../shutdown.js';
import { OpenClawCommand } from '../openclaw-command.js';
import { parsePort } from '../parse-port.js';
import { importServer } from '../../server-module.js';
import { explainListenError } from '../port-in-use.js';

/** `openclaw server start`: the REST API and the agent gateway, until SIGINT/SIGTERM. */
export class ServerStartCommand extends OpenClawCommand {
  static override paths = [['server', 'start']];

  static override usage = Command.Usage({
    category: 'Server',
    description: 'Start the server: REST API and agent gateway',
    details: `
      Serves the REST API under \`/api\` and the agents' Socket.IO gateway under \`/ws\` on one port, until SIGINT or SIGTERM.

      Tokens come from \`--tokens-file\` or \`OPENCLAW_TOKENS_FILE\` (a YAML \`tokens:\` list of scoped entries \`{name, sha256, roles, nodes, actions}\`, reloaded when it changes; \`openclaw token create\` makes them), and from \`OPENCLAW_NODE_TOKEN\` / \`OPENCLAW_TOKENS\` (full access, at least 16 characters; a warning recommends the file). JWT bearer tokens from your identity provider are accepted with \`OPENCLAW_JWT_ISSUER\`, \`OPENCLAW_JWT_AUDIENCE\` and \`OPENCLAW_JWT_JWKS_URL\` (${docsUrl('security.md')}). The server refuses to start without any of these.

      \`--tls-cert\` / \`--tls-key\` (or \`OPENCLAW_TLS_CERT\` / \`OPENCLAW_TLS_KEY\`, PEM files) serve HTTPS and WSS; renewed files are picked up without a restart. Behind a reverse proxy, \`--trust-proxy\` makes rate limits and the audit log use the client address of X-Forwarded-For. \`--audit-log <file>\` (\`OPENCLAW_AUDIT_LOG\`) appends one JSON line per exec and per failed authentication.

      The job history is a SQLite file, \`jobs.sqlite\`, in the data directory (\`--data-dir\`, \`$OPENCLAW_DATA_DIR\`, else \`~/.local/share/openclaw-node\` on Linux, \`~/Library/Application Support/openclaw-node\` on macOS, \`%LOCALAPPDATA%\\openclaw-node\` on Windows); \`--store memory\` keeps it in the process only.

      Scale-out: \`--redis redis://host:6379\` (\`OPENCLAW_REDIS_URL\`) joins this process to the other server processes using the same Redis: behind one address (a load balancer), they share the connected nodes, the job history and job events, so any process answers every route. \`--redis-adapter pubsub|streams\` picks the Socket.IO adapter (${docsUrl('scale-out.md')}).

      \`--host\` / \`--port\` default to \`$OPENCLAW_HOST\` / \`$OPENCLAW_PORT\`, else 0.0.0.0:8765. Logs are JSON lines on stderr (\`--log-level\` or \`$OPENCLAW_LOG_LEVEL\`, default info).
    `,
    examples: [
      ['Start with one token', 'OPENCLAW_NODE_TOKEN=$(openssl rand -base64 32) $0 server start'],
      ['Only on this machine, another port', '$0 server start --host 127.0.0.1 --port 9000'],
      ['Tokens from a file', '$0 server start --tokens-file /etc/openclaw/tokens.yaml'],
      ['Job history in another folder', '$0 server start --data-dir /var/lib/openclaw'],
      ['A throwaway server without job history on disk', '$0 server start --store memory'],
      ['One of several server processes sharing Redis', '$0 server start --redis redis://10.0.0.5:6379'],
      [
        'HTTPS with an audit log',
        '$0 server start --tls-cert /etc/openclaw/cert.pem --tls-key /etc/openclaw/key.pem --audit-log /var/log/openclaw/audit.jsonl',
      ],
    ],
  });

  host = Option.String('--host', {
    description: 'Address to listen on (default: $OPENCLAW_HOST or 0.0.0.0)',
  });
  port = Option.String('--port', {
    description: 'Port (default: $OPENCLAW_PORT or 8765; 0 picks a free one)',
  });
  logLevel = Option.String('--log-level', {
    description: 'fatal, error, warn, info, debug, trace or silent',
  });
  store = Option.String('--store', {
    description: 'Job history: sqlite (default, survives restarts) or memory ($OPENCLAW_STORE)',
  });
  dataDir = Option.String('--data-dir', {
    description: 'Folder of the sqlite job history (default: $OPENCLAW_DATA_DIR or the per-OS data folder)',
  });
  redis = Option.String('--redis', {
    description: 'Scale-out mode: redis:// URL shared by every server process ($OPENCLAW_REDIS_URL)',
  });
  redisAdapter = Option.String('--redis-adapter', {
    description: 'Socket.IO adapter between processes: pubsub (default) or streams ($OPENCLAW_REDIS_ADAPTER)',
  });
  processId = Option.String('--process-id', {
    description:
      "This process's id in the cluster: 1-64 of A-Z a-z 0-9 _ . -, not starting with - or . (default random; $OPENCLAW_PROCESS_ID)",
  });
  tlsCert = Option.String('--tls-cert', { description: 'PEM certificate (chain) file: serve HTTPS and WSS' });
  tlsKey = Option.String('--tls-key', { description: 'PEM private key file of --tls-cert' });
  tlsCa = Option.String('--tls-ca', { description: 'PEM file of intermediate CA certificates to send' });
  tokensFile = Option.String('--tokens-file', {
    description: 'YAML file of scoped API tokens, reloaded when it changes ($OPENCLAW_TOKENS_FILE)',
  });
  auditLog = Option.String('--audit-log', { description: 'Append-only JSON-lines audit log file' });
  metrics = Option.Boolean('--metrics', true, {
    description: 'Serve GET /metrics (Prometheus) to tokens with the viewer role or more (--no-metrics: off)',
  });
  metricsListen = Option.String('--metrics-listen', {
    description:
      'Also serve GET /metrics without a token on host:port, e.g. 127.0.0.1:9464 ($OPENCLAW_METRICS_LISTEN)',
  });
  trustProxy = Option.String('--trust-proxy', {
    description: 'true or the number of reverse proxies whose X-Forwarded-For is believed',
  });

  async run(): Promise<number> {
    // Loaded here, not at the top: client commands (exec, jobs, nodes…) must not pay for the server.
    const {
      createServer,
      loadTokensFromEnv,
      parseMetricsListen,
      parseTrustProxy,
      redactRedisUrl,
      securityOptionsFromEnv,
      TOKEN_HELP,
      tuneProcessForServer,
    } = await importServer();
    tuneProcessForServer();
    // --tokens-file is OPENCLAW_TOKENS_FILE given as a flag: the same loading, reloading and checks.
    const env =
      this.tokensFile === undefined
        ? this.context.env
        : { ...this.context.env, OPENCLAW_TOKENS_FILE: path.resolve(this.tokensFile) };
    const host = this.host ?? env.OPENCLAW_HOST ?? '0.0.0.0';
    const port = parsePort(
      this.port ?? env.OPENCLAW_PORT ?? '8765',
      this.port === undefined ? 'OPENCLAW_PORT' : '--port',
    );
    const logger = await createCliLogger({
      level: this.logLevel,
      env,
      fallback: 'info',
      name: 'openclaw-server',
    });
    const cluster = await resolveClusterFlags(
      { redis: this.redis, adapter: this.redisAdapter, processId: this.processId, store: this.store },
      env,
    );
    const jobs = cluster
      ? {
          store: undefined,
          dataDir: undefined,
          description: `redis ${redactRedisUrl(cluster.redis)} (shared)`,
        }
      : await resolveStoreFlags({ store: this.store, dataDir: this.dataDir }, env);
    const security: SecurityOptions & { tokens: TokenEntry[] } = securityOptionsFromEnv(env);
    if ((this.tlsCert === undefined) !== (this.tlsKey === undefined)) {
      throw new UsageError(
        '--tls-cert and --tls-key go together: HTTPS needs both a certificate and its key',
      );
    }
    if (this.tlsCert !== undefined && this.tlsKey !== undefined) {
      security.tls = { cert: this.tlsCert, key: this.tlsKey, ...(this.tlsCa ? { ca: this.tlsCa } : {}) };
    }
    if (this.auditLog !== undefined) security.auditLog = this.auditLog;
    if (this.trustProxy !== undefined)
      security.trustProxy = parseTrustProxy(this.trustProxy, '--trust-proxy');
    const metricsListenText = this.metricsListen ?? (env.OPENCLAW_METRICS_LISTEN || undefined);
    const metricsListen =
      metricsListenText === undefined
        ? undefined
        : parseMetricsListen(
            metricsListenText,
            this.metricsListen === undefined ? 'OPENCLAW_METRICS_LISTEN' : '--metrics-listen',
          );
    if (metricsListen && !this.metrics)
      throw new UsageError(
        '--metrics-listen serves the metrics that --no-metrics turns off: give one of them',
      );
    // Read once here so a bad tokens file fails the start with its message, and to count the tokens.
    const tokens = await loadTokensFromEnv(env);
    if (tokens.length === 0 && !security.jwt) {
      this.context.stderr.write(
        `CONFIG_INVALID: No API tokens are configured, so the server will not start.\n${TOKEN_HELP}\n` +
          'A tokens file may also be given as a flag: openclaw server start --tokens-file <file.yaml>\n',
      );
      return 1;
    }
    const server = createServer({
      host,
      port,
      logger,
      ...security,
      ...(jobs.store ? { store: jobs.store } : {}),
      ...(jobs.dataDir ? { dataDir: jobs.dataDir } : {}),
      ...(cluster ? { cluster } : {}),
      metrics: { enabled: this.metrics, ...(metricsListen ? { listen: metricsListen } : {}) },
    });
    const shutdown = waitForShutdown(this.context);
    try {
      const listening = await server.listen().catch((error: unknown) => {
        throw explainListenError(error, { port, command: 'server start', env });
      });
      const agentHost =
        host === '0.0.0.0' || host === '::' ? hostname() : listening.url.replace(/^https?:\/\/|:\d+$/g, '');
      const scheme = security.tls ? 'wss' : 'ws';
      this.out(
        `OpenClaw server listening on ${listening.url} (${tokens.length} token${tokens.length === 1 ? '' : 's'})\n` +
          `  dashboard: ${listening.url}/ (sign in with an API token)\n` +
          `  REST API:  ${listening.url}/api\n` +
          `  agents:    server_url: ${scheme}://${agentHost}:${listening.port}/ws\n` +
          `  jobs:      ${jobs.description}\n` +
          (this.metrics
            ? `  metrics:   ${listening.url}/metrics (viewer token)` +
              (metricsListen ? `, and without a token on ${metricsListen.host}:${metricsListen.port}` : '') +
              '\n'
            : '') +
          'Press Ctrl+C to stop.',
      );
      const reason = await shutdown.done;
      this.out(`Stopping (${reason})…`);
      return 0;
    } finally {
      shutdown.dispose();
      await server.close();
    }
  }
}
