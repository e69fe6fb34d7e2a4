import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { JobStore } from './job-store.js';
import { checkPurgeOptions } from './store-checks.js';

export const DEFAULT_RETENTION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
export const DEFAULT_RETENTION_MAX_COUNT = 100_000;
export const DEFAULT_RETENTION_INTERVAL_MS = 3600 * 1000;

/** Options of startRetention. */
export interface RetentionOptions {
  store: JobStore;
  /** Terminal jobs that finished longer ago are removed, default 30 days. */
  maxAgeMs?: number;
  /** The oldest terminal jobs beyond this many jobs are removed, default 100,000. */
  maxCount?: number;
  /** Time between purges, default 1 hour; the first runs at start. */
  intervalMs?: number;
  /** Purges that removed jobs are logged at info, failures at warn. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** A running retention loop. */
export interface Retention {
  /** Purge now (waits for a purge already running); resolves with how many jobs were removed. */
  runOnce(): Promise<number>;
  /** Stop the timer; resolves when a purge in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Purge the job history by age and count every `intervalMs`, on an unref'd timer so it never keeps
 * the process alive.
 * @example const retention = startRetention({ store, logger }); … await retention.stop();
 */
export function startRetention(options: RetentionOptions): Retention {
  const { store, logger } = options;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_RETENTION_MAX_AGE_MS;
  const maxCount = options.maxCount ?? DEFAULT_RETENTION_MAX_COUNT;
  const intervalMs = options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
  checkPurgeOptions({ maxAgeMs, maxCount });
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 1) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `intervalMs must be a positive integer, got ${String(intervalMs)}`,
      {
        details: { field: 'intervalMs' },
      },
    );
  }
  let running: Promise<number> | undefined;
  let stopped = false;

  const runOnce = (): Promise<number> => {
    running ??= store
      .purge({ maxAgeMs, maxCount })
      .then((removed) => {
        if (removed > 0)
          logger?.info({ removed, max_age_ms: maxAgeMs, max_count: maxCount }, 'job history purged');
        return removed;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const tick = (): void => {
    if (stopped) return;
    runOnce().catch((error: unknown) => logger?.warn({ err: error }, 'job history purge failed'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  setImmediate(tick).unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
