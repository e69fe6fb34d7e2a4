import { isOpenClawError } from '@openclaw-node/core';
import type { ClusterSettings } from '@openclaw-node/server';
import { UsageError } from '../../clipanion.js';
import { importServer } from '../../server-module.js';

/** `--redis`, `--redis-adapter`, `--process-id` and their environment variables, checked. */
export async function resolveClusterFlags(
  flags: {
    redis: string | undefined;
    adapter: string | undefined;
    processId: string | undefined;
    store: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): Promise<ClusterSettings | undefined> {
  const redis = flags.redis ?? (env.OPENCLAW_REDIS_URL?.trim() || undefined);
  if (redis === undefined) {
    if (flags.adapter !== undefined) throw new UsageError('--redis-adapter needs --redis (scale-out mode)');
    if (flags.processId !== undefined) throw new UsageError('--process-id needs --redis (scale-out mode)');
    return undefined;
  }
  const source = flags.redis === undefined ? 'OPENCLAW_REDIS_URL' : '--redis';
  if (flags.store !== undefined) {
    throw new UsageError(
      `--store cannot be combined with ${source}: in scale-out mode the job history is kept in Redis, shared by every server process`,
    );
  }
  const settings: ClusterSettings = { redis };
  const adapter = flags.adapter ?? (env.OPENCLAW_REDIS_ADAPTER?.trim() || undefined);
  if (adapter !== undefined) settings.adapter = adapter as NonNullable<ClusterSettings['adapter']>;
  const processId = flags.processId ?? (env.OPENCLAW_PROCESS_ID?.trim() || undefined);
  if (processId !== undefined) settings.processId = processId;
  const ms = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new UsageError(`${name} must be a positive integer of milliseconds, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const heartbeatMs = ms('OPENCLAW_CLUSTER_HEARTBEAT_MS');
  const processTtlMs = ms('OPENCLAW_CLUSTER_PROCESS_TTL_MS');
  if (heartbeatMs !== undefined) settings.heartbeatMs = heartbeatMs;
  if (processTtlMs !== undefined) settings.processTtlMs = processTtlMs;
  const { resolveClusterSettings } = await importServer();
  try {
    resolveClusterSettings(settings);
  } catch (error) {
    if (isOpenClawError(error)) {
      const field = typeof error.details?.field === 'string' ? error.details.field : '';
      const flag =
        field === 'cluster.redis'
          ? source
          : field === 'cluster.adapter'
            ? '--redis-adapter'
            : field === 'cluster.processId'
              ? '--process-id'
              : field;
      throw new UsageError(`${flag}: ${error.message.replace(/^cluster\.\w+ /, '')}`);
    }
    throw error;
  }
  return settings;
}
