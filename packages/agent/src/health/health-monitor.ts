import { OpenClawError, sameHealth, type PluginHealth } from '@openclaw-node/core';
import type { Logger } from 'pino';
import { sortHealth } from './compute-health.js';

/** One round of checks: every plugin's health; `onResult` as each one finishes. */
export type HealthRound = (
  signal: AbortSignal,
  onResult: (health: PluginHealth) => void,
) => Promise<PluginHealth[]>;

export interface HealthMonitorOptions {
  round: HealthRound;
  /** Time between the end of one round and the start of the next; 0 checks only once. */
  intervalMs: number;
  /** After every round whose health differs from the previous round's (and after the first). */
  onChange: (health: PluginHealth[]) => void;
  logger: Logger;
}

/** Keeps this node's capability health current: a first round at start, then one per interval. */
export interface HealthMonitor {
  start(): void;
  /** Resolves once the first round finished, or after `waitMs`, whichever comes first. */
  settled(waitMs: number): Promise<void>;
  /** The last finished round; before the first one finishes, the checks finished so far. */
  current(): PluginHealth[];
  /** Run a round now (or join the one running) and resolve with its health. */
  checkNow(): Promise<PluginHealth[]>;
  /** Abort the running round and stop the schedule. */
  stop(): void;
}

/**
 * Create the monitor; nothing runs until start().
 * @example const monitor = createHealthMonitor({ round, intervalMs: 300_000, onChange: send, logger }); monitor.start();
 */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const { logger } = options;
  const controller = new AbortController();
  let finished: PluginHealth[] | undefined;
  const partial = new Map<string, PluginHealth>();
  let running: Promise<PluginHealth[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let firstDone!: () => void;
  const first = new Promise<void>((resolve) => (firstDone = resolve));

  const schedule = () => {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      void checkNow();
    }, options.intervalMs);
    timer.unref();
  };

  const runRound = async (): Promise<PluginHealth[]> => {
    const health = sortHealth(
      await options.round(controller.signal, (result) => {
        if (!finished) partial.set(result.plugin, result);
      }),
    );
    if (stopped) return health;
    const changed = !finished || !sameHealth(finished, health);
    finished = health;
    partial.clear();
    firstDone();
    if (changed) {
      const unavailable = health.filter((h) => !h.available).map((h) => h.plugin);
      logger.info({ unavailable }, 'capability health changed');
      options.onChange(health);
    }
    return health;
  };

  const checkNow = (): Promise<PluginHealth[]> => {
    if (stopped) return Promise.resolve(current());
    clearTimeout(timer);
    timer = undefined;
    running ??= runRound()
      .catch((error: unknown) => {
        // A round never rejects by contract; if one does, keep what we had and try again next time.
        logger.error({ err: error }, 'capability health check failed');
        return current();
      })
      .finally(() => {
        running = undefined;
        schedule();
      });
    return running;
  };

  const current = (): PluginHealth[] => finished ?? sortHealth([...partial.values()]);

  return {
    start() {
      if (!stopped && !running && !finished) void checkNow();
    },
    settled(waitMs) {
      let wait: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (wait = setTimeout(resolve, waitMs)));
      return Promise.race([first, timeout]).finally(() => clearTimeout(wait));
    },
    current,
    checkNow,
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      controller.abort(new OpenClawError('CANCELLED', 'the agent is stopping'));
      firstDone();
    },
  };
}
