import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { JobStore, JobStoreOptions } from './job-store.js';
import { MemoryJobStore } from './memory-job-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';

/** The store implementations: `sqlite` (default, persistent) or `memory` (`--store memory`, throwaway). */
export const JOB_STORE_KINDS = ['sqlite', 'memory'] as const;

/** Which store to open. */
export type JobStoreKind = (typeof JOB_STORE_KINDS)[number];

/** Options of openJobStore. */
export interface OpenJobStoreOptions extends JobStoreOptions {
  kind: JobStoreKind;
  /** Required for `sqlite`: the server's data directory (jobs.sqlite goes inside, mode 0700). */
  dataDir?: string;
  /** `sqlite`: mark jobs a previous process left running as lost at open, default true. */
  markLostOnOpen?: boolean;
  /** Told how many interrupted jobs were marked lost at open. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Open the job history named by `kind`.
 * @example const store = await openJobStore({ kind: 'sqlite', dataDir: '/var/lib/openclaw' });
 */
export async function openJobStore(options: OpenJobStoreOptions): Promise<JobStore> {
  const { kind, dataDir, markLostOnOpen, logger, ...shared } = options;
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
      logger?.info({ file: store.file }, 'job history opened');
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
