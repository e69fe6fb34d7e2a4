import type { Logger } from 'pino';
import type { Namespace, Server as SocketServer } from 'socket.io';
import type { GatewayObserver } from '../gateway/types.js';
import type { JobStore } from '../jobs/index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import {
  agentsByPlatform,
  countSocketTraffic,
  gatewayObserver,
  timeNodeJobs,
  timeStoreWrites,
  type TimedStore,
} from './instrument.js';
import { JobTracker } from './job-tracker.js';
import { MetricsListener, parseMetricsListen, type MetricsListen } from './metrics-listener.js';
import { ServerMetrics } from './server-metrics.js';

/** `createServer({ metrics })`. */
export interface MetricsOptions {
  /** Default true: `GET /metrics` on the API port, for a token with the viewer role or more. */
  enabled?: boolean;
  /** Also serve `GET /metrics` without a token on this address (`127.0.0.1:9464`). */
  listen?: string | MetricsListen;
}

/** Queued jobs read from the store at start (a restart keeps the offline queue). */
const MAX_SEEDED = 10_000;

/** The metrics of one server, wired to its parts: created before the store opens, started after. */
export class ServerMetricsSetup {
  readonly metrics: ServerMetrics;
  readonly observer: GatewayObserver;
  readonly #tracker: JobTracker;
  readonly #store: JobStore;
  readonly #listener: MetricsListener | undefined;
  readonly #scaleOut: boolean;

  constructor(parts: {
    options: MetricsOptions;
    registry: NodeRegistry;
    catalog: PluginCatalog;
    pending: PendingJobs;
    store: TimedStore;
    sseSubscribers: () => number;
    processId?: string;
    /** In scale-out: whether a request this process served created the job. */
    isOwnJob?: (jobId: string) => boolean;
    logger: Logger;
  }) {
    this.#scaleOut = parts.processId !== undefined;
    this.#tracker = new JobTracker({
      ...(this.#scaleOut && parts.isOwnJob ? { isOwn: parts.isOwnJob } : {}),
      ended: (state) => this.metrics.jobEnded(state),
    });
    this.metrics = new ServerMetrics({
      sources: {
        agentsByPlatform: () => agentsByPlatform(parts.registry),
        execInFlight: () => parts.pending.size,
        sseSubscribers: parts.sseSubscribers,
        jobsByState: () => this.#tracker.byState(),
      },
      knownAction: (action) => {
        const dot = action.indexOf('.');
        return (
          dot > 0 && parts.catalog.get(action.slice(0, dot))?.actions[action.slice(dot + 1)] !== undefined
        );
      },
      ...(parts.processId !== undefined ? { processId: parts.processId } : {}),
    });
    this.observer = gatewayObserver(this.metrics);
    this.#store = parts.store;
    parts.store.subscribe(this.#tracker.listener);
    timeStoreWrites(parts.store, this.metrics);
    timeNodeJobs(parts.pending, this.metrics);
    const listen =
      typeof parts.options.listen === 'string'
        ? parseMetricsListen(parts.options.listen)
        : parts.options.listen;
    this.#listener = listen ? new MetricsListener(this.metrics, listen, parts.logger) : undefined;
  }

  /** Count agent traffic on the Socket.IO server. */
  attachSockets(io: SocketServer, agents: Namespace): void {
    countSocketTraffic(io, agents, this.metrics);
  }

  /** Once the store is open: count the jobs already queued (single process), start the listener. */
  async start(): Promise<{ listenUrl?: string }> {
    if (!this.#scaleOut) {
      let cursor: string | null = null;
      let seen = 0;
      do {
        const page = await this.#store.list(
          { state: 'queued' },
          { limit: 500, ...(cursor ? { cursor } : {}) },
        );
        for (const job of page.jobs) this.#tracker.seed(job.command_id, job.state);
        seen += page.jobs.length;
        cursor = page.next_cursor;
      } while (cursor !== null && seen < MAX_SEEDED);
    }
    if (!this.#listener) return {};
    const { url } = await this.#listener.start();
    return { listenUrl: url };
  }

  async close(): Promise<void> {
    await this.#listener?.close();
  }
}

/** Build the metrics unless `options.enabled` is false. */
export function setupMetrics(
  options: MetricsOptions | undefined,
  parts: Omit<ConstructorParameters<typeof ServerMetricsSetup>[0], 'options'>,
): ServerMetricsSetup | undefined {
  if (options?.enabled === false) {
    if (options.listen !== undefined)
      parts.logger.warn('metrics.listen is ignored: metrics are disabled (metrics.enabled is false)');
    return undefined;
  }
  return new ServerMetricsSetup({ options: options ?? {}, ...parts });
}
