import type { Logger } from 'pino';
import type { JobOrigins } from '../security/audit/job-origins.js';
import type { Cluster } from '../cluster/cluster.js';
import { JobPlanner } from './job-planner.js';
import { JobRunner } from './job-runner.js';
import { JobStoreHandle } from './store/job-store-handle.js';
import { RedisJobStore, openJobStore, startRetention, type JobStore, type Retention } from './index.js';
import { LastSeenNodes } from '../nodes/last-seen-nodes.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { OfflineQueue } from './offline-queue.js';
import type { ResolvedServerOptions } from '../options.js';
import type { PendingJobs } from './pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { EventStreams } from '../http/routes/job-events.js';

export interface JobServiceOptions {
  options: ResolvedServerOptions;
  registry: NodeRegistry;
  catalog: PluginCatalog;
  pending: PendingJobs;
  logger: Logger;
  /** Scale-out mode. */
  cluster?: Cluster;
  /** Where each created job's request came from, for its audit record. */
  origins?: JobOrigins;
}

/**
 * The job machinery of one server: the store (opened in open(), as SQLite needs I/O), the runner,
 * the offline queue with its expiry sweep, retention and the open event streams.
 */
export class JobService {
  readonly store = new JobStoreHandle();
  readonly runner: JobRunner;
  readonly queue: OfflineQueue;
  readonly planner: JobPlanner;
  readonly streams = new EventStreams();
  readonly #o: JobServiceOptions;
  #retention: Retention | undefined;
  #owned: JobStore | undefined;

  constructor(o: JobServiceOptions) {
    this.#o = o;
    const { options, registry, catalog, pending, logger, cluster } = o;
    const store = this.store;
    this.runner = new JobRunner({
      store,
      pending,
      logger,
      ackGraceMs: options.ackGraceMs,
      cancelGraceMs: options.cancelGraceMs,
      ...(cluster ? { tracker: cluster } : {}),
    });
    this.queue = new OfflineQueue({
      store,
      registry,
      catalog,
      runner: this.runner,
      logger,
      expireIntervalMs: options.expireIntervalMs,
      ...(cluster ? { cluster } : {}),
    });
    this.planner = new JobPlanner({
      registry,
      catalog,
      store,
      runner: this.runner,
      queue: this.queue,
      lastSeen: new LastSeenNodes(registry),
      defaultTimeoutS: options.defaultTimeoutS,
      maxTimeoutS: options.maxTimeoutS,
      maxTtlS: options.maxTtlS,
      defaultTtlS: options.defaultTtlS,
      ...(cluster ? { cluster } : {}),
      ...(o.origins ? { origins: o.origins } : {}),
    });
  }

  /** Open the store (JOB_STORE_FAILED when it cannot), expire what is overdue, start the timers. */
  async open(): Promise<void> {
    const { options, logger } = this.#o;
    const store =
      options.jobStore ??
      (this.#owned = options.cluster
        ? await RedisJobStore.open({
            url: options.cluster.redis,
            keyPrefix: options.cluster.keyPrefix,
            logger,
          })
        : await openJobStore({ kind: options.store, dataDir: options.dataDir, logger }));
    this.store.attach(store);
    await this.queue.expire();
    this.queue.start();
    if (options.retention !== false) {
      this.#retention = startRetention({ store, logger, ...options.retention });
    }
  }

  /** Stop the timers, end the event streams, record the last job writes and close an owned store. */
  async close(): Promise<void> {
    this.streams.closeAll();
    await this.queue.stop();
    await this.#retention?.stop();
    await this.runner.flush();
    this.store.detach();
    await this.#owned?.close();
    this.#owned = undefined;
  }
}
