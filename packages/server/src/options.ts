import { DEFAULT_SOCKET_PATH, OpenClawError } from '@openclaw-node/core';
import pino, { type Logger } from 'pino';
import type { AuthProvider } from './security/auth/auth-provider.js';
import type { TokenEntry } from './security/auth/token-auth-provider.js';
import {
  resolveClusterSettings,
  type ClusterSettings,
  type ResolvedClusterSettings,
} from './cluster/cluster-settings.js';
import { checkTokenSources, type SecurityOptions } from './security/security-options.js';
import { defaultDataDir } from './data-dir.js';
import { JOB_STORE_KINDS, type JobStore, type JobStoreKind } from './jobs/index.js';
import {
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_MAX_AGE_MS,
  DEFAULT_RETENTION_MAX_COUNT,
} from './jobs/store/retention.js';
import { checkPurgeOptions } from './jobs/store/store-checks.js';
import type { MetricsOptions } from './metrics/server-metrics-setup.js';

/** Retention of finished jobs in the history. */
export interface RetentionSettings {
  /** Finished jobs older than this are removed, default 30 days. */
  maxAgeMs?: number;
  /** The oldest finished jobs beyond this many jobs are removed, default 100,000. */
  maxCount?: number;
  /** How often retention runs, default 1 hour. */
  intervalMs?: number;
}

/** The agent accepts timeouts up to 7 days; timers beyond that are not needed (and overflow at 24.8). */
const MAX_TIMEOUT_CAP_S = 7 * 24 * 3600;

/** Options of createServer. */
export interface ServerOptions extends SecurityOptions {
  /** Default '0.0.0.0'. */
  host?: string;
  /** Default 8765; 0 picks a free port. */
  port?: number;
  /** Accepted tokens (scoped, or full access without roles); may be empty with tokensFile, jwt or auth. */
  tokens?: TokenEntry[];
  /** Default: a pino logger at info to stderr. */
  logger?: Logger;
  /** Socket.IO path, default '/ws'. */
  socketPath?: string;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Exec timeout when neither request nor manifest gives one, default 30 s. */
  defaultTimeoutS?: number;
  /** Cap for a requested timeout, default 3600 s. */
  maxTimeoutS?: number;
  /** Socket.IO heartbeat, default 5000 ms. */
  pingIntervalMs?: number;
  /** Default 5000 ms. */
  pingTimeoutMs?: number;
  /** Extra wait for an exec ack beyond the action's timeout, default 3000 ms. */
  ackGraceMs?: number;
  /** Replaces the token list as the source of principals (the JWT provider is still asked after it). */
  auth?: AuthProvider;
  /** Job history: `sqlite` (default, `<dataDir>/jobs.sqlite`, survives restarts), `memory`, or `redis` (with `cluster`, and set by it). */
  store?: JobStoreKind;
  /** Directory of the SQLite job history; default `$OPENCLAW_DATA_DIR` or the per-OS data folder. */
  dataDir?: string;
  /** An open JobStore to use instead of `store` (the caller closes it). */
  jobStore?: JobStore;
  /** Retention of finished jobs; `false` keeps them all. */
  retention?: RetentionSettings | false;
  /** Longest `ttl` of an offline-queued job, default 7 days. */
  maxTtlS?: number;
  /** `ttl` of `"queue": true` without one, default 1 hour. */
  defaultTtlS?: number;
  /** How often queued jobs past their ttl expire, default 5000 ms. */
  expireIntervalMs?: number;
  /** Comment lines that keep an idle event stream open through proxies, default every 15000 ms. */
  sseHeartbeatMs?: number;
  /** `POST /api/jobs/:id/cancel` waits this long for the node's answer before replying 202, default 5000 ms. */
  cancelWaitMs?: number;
  /** A cancelled job whose node never answers ends cancelled after this, default 10000 ms. */
  cancelGraceMs?: number;
  /**
   * Scale-out mode: several server processes behind one address share nodes, jobs and events through
   * Redis. The job history then lives in Redis too (`store` must be left unset or `redis`).
   */
  cluster?: ClusterSettings;
  /** Prometheus metrics (`GET /metrics`); on by default. */
  metrics?: MetricsOptions;
}

export type ResolvedServerOptions = Required<
  Omit<ServerOptions, keyof SecurityOptions | 'auth' | 'jobStore' | 'retention' | 'cluster' | 'metrics'>
> & {
  auth?: AuthProvider;
  cluster?: ResolvedClusterSettings;
  jobStore?: JobStore;
  retention: Required<RetentionSettings> | false;
};

/** Fill defaults and check every option; throws CONFIG_INVALID naming the option. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  checkTokenSources(options);
  const resolved: ResolvedServerOptions = {
    host: options.host ?? '0.0.0.0',
    port: options.port ?? 8765,
    tokens: options.tokens ?? [],
    logger: options.logger ?? pino({ level: 'info', name: 'openclaw-server' }, pino.destination(2)),
    socketPath: options.socketPath ?? DEFAULT_SOCKET_PATH,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    defaultTimeoutS: options.defaultTimeoutS ?? 30,
    maxTimeoutS: options.maxTimeoutS ?? 3600,
    pingIntervalMs: options.pingIntervalMs ?? 5000,
    pingTimeoutMs: options.pingTimeoutMs ?? 5000,
    ackGraceMs: options.ackGraceMs ?? 3000,
    store: options.store ?? 'sqlite',
    dataDir: options.dataDir ?? defaultDataDir(),
    retention:
      options.retention === false
        ? false
        : {
            maxAgeMs: options.retention?.maxAgeMs ?? DEFAULT_RETENTION_MAX_AGE_MS,
            maxCount: options.retention?.maxCount ?? DEFAULT_RETENTION_MAX_COUNT,
            intervalMs: options.retention?.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS,
          },
    maxTtlS: options.maxTtlS ?? 7 * 24 * 3600,
    defaultTtlS: options.defaultTtlS ?? 3600,
    expireIntervalMs: options.expireIntervalMs ?? 5000,
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
    cancelWaitMs: options.cancelWaitMs ?? 5000,
    cancelGraceMs: options.cancelGraceMs ?? 10_000,
  };
  if (options.auth) resolved.auth = options.auth;
  if (options.cluster) {
    resolved.cluster = resolveClusterSettings(options.cluster);
    if (options.store !== undefined && (options.store as string) !== 'redis') {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `store ${JSON.stringify(options.store)} cannot be shared by several server processes: leave store unset (or 'redis') with cluster`,
        { details: { field: 'store' } },
      );
    }
    resolved.store = 'redis';
  }
  if (options.jobStore) resolved.jobStore = options.jobStore;
  const check = (field: keyof ResolvedServerOptions, ok: boolean, rule: string): void => {
    if (!ok) {
      throw new OpenClawError('CONFIG_INVALID', `${field} ${rule}, got ${JSON.stringify(resolved[field])}`, {
        details: { field },
      });
    }
  };
  const positive = (v: number): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  check(
    'port',
    Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535,
    'must be an integer 0-65535',
  );
  check('host', typeof resolved.host === 'string' && resolved.host !== '', 'must be a host name or address');
  check(
    'socketPath',
    /^\/[\w./-]*$/.test(resolved.socketPath) && !resolved.socketPath.startsWith('/api'),
    'must be a path like /ws outside /api',
  );
  check('maxBodyBytes', positive(resolved.maxBodyBytes), 'must be a positive number');
  check('defaultTimeoutS', positive(resolved.defaultTimeoutS), 'must be a positive number of seconds');
  check(
    'maxTimeoutS',
    positive(resolved.maxTimeoutS) && resolved.maxTimeoutS <= MAX_TIMEOUT_CAP_S,
    `must be a positive number of seconds, at most ${MAX_TIMEOUT_CAP_S} (7 days)`,
  );
  check('pingIntervalMs', positive(resolved.pingIntervalMs), 'must be a positive number of ms');
  check('pingTimeoutMs', positive(resolved.pingTimeoutMs), 'must be a positive number of ms');
  check(
    'ackGraceMs',
    typeof resolved.ackGraceMs === 'number' && resolved.ackGraceMs >= 0,
    'must be 0 or more ms',
  );
  check(
    'store',
    (JOB_STORE_KINDS as readonly string[]).includes(resolved.store),
    'must be sqlite, memory or redis',
  );
  if (resolved.store === 'redis' && resolved.cluster === undefined && resolved.jobStore === undefined) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      'store redis keeps the history in the Redis of scale-out mode: give cluster.redis (openclaw server start --redis redis://…)',
      { details: { field: 'store' } },
    );
  }
  check(
    'dataDir',
    typeof resolved.dataDir === 'string' && resolved.dataDir.trim() !== '',
    'must name a directory',
  );
  check(
    'maxTtlS',
    positive(resolved.maxTtlS) && resolved.maxTtlS <= 365 * 24 * 3600,
    'must be a positive number of seconds, at most a year',
  );
  check(
    'defaultTtlS',
    positive(resolved.defaultTtlS) && resolved.defaultTtlS <= resolved.maxTtlS,
    'must be a positive number of seconds, at most maxTtlS',
  );
  for (const field of ['expireIntervalMs', 'sseHeartbeatMs', 'cancelWaitMs', 'cancelGraceMs'] as const) {
    check(
      field,
      positive(resolved[field]) && resolved[field] <= 2 ** 31 - 1,
      'must be a positive number of ms',
    );
  }
  if (resolved.retention !== false) {
    const { maxAgeMs, maxCount, intervalMs } = resolved.retention;
    try {
      checkPurgeOptions({ maxAgeMs, maxCount });
    } catch (error) {
      const field = (error as OpenClawError).details?.field;
      throw new OpenClawError('CONFIG_INVALID', `retention.${(error as Error).message}`, {
        details: { field: `retention.${String(field)}` },
      });
    }
    check(
      'retention',
      Number.isSafeInteger(intervalMs) && intervalMs > 0 && intervalMs <= 2 ** 31 - 1,
      'intervalMs must be a positive integer of ms',
    );
  }
  if (options.jobStore !== undefined && typeof options.jobStore?.create !== 'function') {
    throw new OpenClawError('CONFIG_INVALID', 'jobStore must be a JobStore', {
      details: { field: 'jobStore' },
    });
  }
  return resolved;
}
