import { randomBytes } from 'node:crypto';
import { OpenClawError } from '@openclaw-node/core';

/** The Socket.IO adapter that carries messages between server processes. */
export const CLUSTER_ADAPTERS = ['pubsub', 'streams'] as const;
export type ClusterAdapterKind = (typeof CLUSTER_ADAPTERS)[number];

/** Scale-out mode: several server processes sharing presence, jobs and events through Redis. */
export interface ClusterSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  redis: string;
  /** `pubsub` (default, @socket.io/redis-adapter) or `streams` (@socket.io/redis-streams-adapter). */
  adapter?: ClusterAdapterKind;
  /** Prefix of every Redis key and channel, default `openclaw:` (several clusters can share one Redis). */
  keyPrefix?: string;
  /** How often a process says it is alive, default 2000 ms. */
  heartbeatMs?: number;
  /** A process silent this long is dead: its nodes leave and its jobs in flight end `lost`; default 10000 ms. */
  processTtlMs?: number;
  /** How long a request to another process waits for its answer, default 5000 ms. */
  rpcTimeoutMs?: number;
  /** This process's id in the cluster, default random. */
  processId?: string;
}

export type ResolvedClusterSettings = Required<ClusterSettings>;

/** Fill defaults and check; CONFIG_INVALID names the field (`cluster.<name>`), never the password. */
export function resolveClusterSettings(settings: ClusterSettings): ResolvedClusterSettings {
  const fail = (field: string, rule: string): never => {
    throw new OpenClawError('CONFIG_INVALID', `cluster.${field} ${rule}`, {
      details: { field: `cluster.${field}` },
    });
  };
  let url: URL | undefined;
  try {
    url = new URL(settings.redis);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    fail('redis', 'must be a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379');
  }
  const resolved: ResolvedClusterSettings = {
    redis: settings.redis,
    adapter: settings.adapter ?? 'pubsub',
    keyPrefix: settings.keyPrefix ?? 'openclaw:',
    heartbeatMs: settings.heartbeatMs ?? 2000,
    processTtlMs: settings.processTtlMs ?? 10_000,
    rpcTimeoutMs: settings.rpcTimeoutMs ?? 5000,
    processId: settings.processId ?? randomBytes(6).toString('hex'),
  };
  if (!(CLUSTER_ADAPTERS as readonly string[]).includes(resolved.adapter)) {
    fail('adapter', `must be one of ${CLUSTER_ADAPTERS.join(', ')}`);
  }
  if (!/^[\w:.-]{0,64}$/.test(resolved.keyPrefix)) fail('keyPrefix', 'must be 0-64 of A-Z a-z 0-9 _ : . -');
  // Not starting with '-' or '.': '-' alone is what a job's runner field says when its requester gave
  // up on it (cluster-jobs.ts), and a process by that name would look like nobody.
  if (!/^\w[\w.-]{0,63}$/.test(resolved.processId)) {
    fail('processId', 'must be 1-64 of A-Z a-z 0-9 _ . -, starting with a letter, a digit or _');
  }
  const ms = (field: 'heartbeatMs' | 'processTtlMs' | 'rpcTimeoutMs'): void => {
    const v = resolved[field];
    if (!Number.isSafeInteger(v) || v <= 0 || v > 2 ** 31 - 1)
      fail(field, 'must be a positive integer of ms');
  };
  ms('heartbeatMs');
  ms('processTtlMs');
  ms('rpcTimeoutMs');
  if (resolved.processTtlMs < resolved.heartbeatMs * 2) {
    fail('processTtlMs', 'must be at least twice heartbeatMs, or a busy process would be taken for dead');
  }
  return resolved;
}

/** The Redis URL with its password replaced, for logs and messages. */
export function redactRedisUrl(redis: string): string {
  try {
    const url = new URL(redis);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable redis url)';
  }
}
