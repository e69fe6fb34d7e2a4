import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { JobStore, JobStoreOptions } from './job-store.js';
import { MemoryJobStore } from './memory/memory-job-store.js';
import { RedisJobStore } from './redis/redis-job-store.js';
import { SqliteJobStore } from './sqlite/sqlite-job-store.js';

/**
 * The store implementations: `sqlite` (default, persistent), `memory` (`--store memory`, throwaway)
 * or `redis` (shared by the server processes of scale-out mode).
 */
export const JOB_STORE_KINDS = ['sqlite', 'memory', 'redis'] as const;

/** Which store to open. */
export type JobStoreKind = (typeof JOB_STORE_KINDS)[number];

/** Options of openJobStore. */
export interface OpenJobStoreOptions extends JobStoreOptions {
  kind: JobStoreKind;
  /** Required for `sqlite`: the server's data directory (jobs.sqlite goes inside, mode 0700). */
  dataDir?: string;
  /** `sqlite`: mark jobs a previous process left running as lost at open, default true. */
  markLostOnOpen?: boolean;
  /** Required for `redis`: `redis://[[user]:password@]host[:port][/db]` or `rediss://…`. */
  redisUrl?: string;
  /** `redis`: prefix of every key, default `openclaw:` (processes sharing it share the history). */
  redisKeyPrefix?: string;
  /** Told how many interrupted jobs were marked lost at open. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Open the job history named by `kind`.
 * @example const store = await openJobStore({ kind: 'sqlite', dataDir: '/var/lib/openclaw' });
 */
export async function openJobStore(options: OpenJobStoreOptions): Promise<JobStore> {
  const { kind, dataDir, markLostOnOpen, redisUrl, redisKeyPrefix, logger, ...shared } = options;
  switch (kind) {
    case 'memory':
      return new MemoryJobStore(shared);
    case 'sqlite': {
      if (dataDir === undefined || dataDir === '') {
        throw new OpenClawError('CONFIG_INVALID', 'The sqlite job store needs a data directory (dataDir)', {
          details: { field: 'dataDir' },
        });
      }
      const store = await SqliteJobStore.open({
        ...shared,
        dataDir,
        markLostOnOpen: markLostOnOpen ?? true,
        ...(logger ? { logger } : {}),
      });
      if (store.lostAtOpen.length > 0) {
        logger?.warn(
          {
            lost: store.lostAtOpen.length,
            command_ids: store.lostAtOpen.slice(0, 20).map((j) => j.command_id),
          },
          'jobs interrupted by the last shutdown were marked lost',
        );
      }
      if (store.recoveredAtOpen.written > 0) {
        logger?.info(
          { recovered: store.recoveredAtOpen.written },
          'jobs answered just before the last shutdown were written to the history from its ended journal',
        );
      }
      logger?.info({ file: store.file }, 'job history opened');
      return store;
    }
    case 'redis': {
      if (redisUrl === undefined || redisUrl === '') {
        throw new OpenClawError(
          'CONFIG_INVALID',
          'The redis job store needs the address of Redis (redisUrl, e.g. redis://:password@10.0.0.5:6379)',
          { details: { field: 'redis' } },
        );
      }
      const store = await RedisJobStore.open({
        ...shared,
        url: redisUrl,
        ...(redisKeyPrefix === undefined ? {} : { keyPrefix: redisKeyPrefix }),
        ...(logger === undefined ? {} : { logger }),
      });
      logger?.info({ redis: store.address }, 'job history opened');
      return store;
    }
    default:
      throw new OpenClawError(
        'CONFIG_INVALID',
        `store must be one of ${JOB_STORE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
        { details: { field: 'store' } },
      );
  }
}
