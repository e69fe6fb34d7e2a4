import { isKnownErrorCode } from '@openclaw-node/core';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { BucketHistogram, type HistogramSeries } from './bucket-histogram.js';
import { DeferredCounts, type DeferredCount } from './deferred-counter.js';
import { LabelCache } from './label-cache.js';

type CounterChild = ReturnType<Counter<string>['labels']>;

/** Distinct action names reported per process; more are reported as `other`. */
export const MAX_ACTION_LABELS = 256;

/** Socket.IO's disconnect reasons (socket-types.d.ts): anything else is `other`. */
const DISCONNECT_REASONS = new Set([
  'transport error',
  'transport close',
  'forced close',
  'ping timeout',
  'parse error',
  'server shutting down',
  'forced server close',
  'client namespace disconnect',
  'server namespace disconnect',
]);

/** REST in → answer out, seconds: from a cached answer to an hour-long render. */
const EXEC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** An error code as a label: one of the error table's codes, else `OTHER` (a plugin's own code). */
export function codeLabel(code: string): string {
  return isKnownErrorCode(code) ? code : 'OTHER';
}

/** The values collected at scrape time (the server's live state), given by the server that owns them. */
export interface MetricsSources {
  /** Connected nodes held by this process, by platform. */
  agentsByPlatform(): Map<string, number>;
  /** Jobs this process sent to a node and waits on. */
  execInFlight(): number;
  /** Job event streams (SSE) open on this process. */
  sseSubscribers(): number;
  /** Jobs of this process by non-terminal state. */
  jobsByState(): Map<string, number>;
}

/**
 * The server's Prometheus metrics on a registry of its own (several servers may share a process, as
 * in tests). Label values are bounded: no node ids, job ids or free text; action names go through a
 * capped cache. `processId` (scale-out) labels every series so each process reports its own.
 *
 * What moves on every exec (exec count and time, node time, store writes, ended jobs, messages)
 * costs a Map lookup and a few additions: counters add to a `DeferredCount` handed to prom-client at
 * scrape time, histograms are `BucketHistogram`s. prom-client's own label hashing cost the exec
 * path about 4 % of its CPU (docs/metrics.md, "Cost").
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #hellos: LabelCache<CounterChild>;
  readonly #disconnects: LabelCache<CounterChild>;
  readonly #authFailures: Counter<'channel' | 'code'>;
  readonly #rateLimited: Counter<'channel'>;
  readonly #execCount: Counter<'route' | 'action' | 'code'>;
  readonly #execCountDeferred = new DeferredCounts();
  readonly #execCountChildren = new Map<string, LabelCache<LabelCache<DeferredCount>>>();
  readonly #execSeconds: BucketHistogram<'route' | 'action'>;
  readonly #execSecondsChildren = new Map<string, LabelCache<HistogramSeries>>();
  readonly #nodeSeconds: LabelCache<HistogramSeries>;
  readonly #jobsEnded: LabelCache<DeferredCount>;
  readonly #storeWrites: LabelCache<HistogramSeries>;
  readonly messagesIn: DeferredCount;
  readonly messagesOut: DeferredCount;
  readonly #knownAction: (action: string) => boolean;

  constructor(options: {
    sources: MetricsSources;
    /** Whether an action is one the connected catalog offers (only those get their own label). */
    knownAction: (action: string) => boolean;
    processId?: string;
  }) {
    const registers = [this.registry];
    const { sources } = options;
    this.#knownAction = options.knownAction;
    if (options.processId !== undefined) this.registry.setDefaultLabels({ process_id: options.processId });
    collectDefaultMetrics({ register: this.registry });

    new Gauge({
      name: 'openclaw_agents_connected',
      help: 'Agents connected to this process, by platform',
      labelNames: ['platform'],
      registers,
      collect() {
        this.reset();
        for (const [platform, count] of sources.agentsByPlatform()) this.set({ platform }, count);
      },
    });
    const hellos = new Counter({
      name: 'openclaw_agent_hellos_total',
      help: 'Agent hellos answered, by outcome (ok, or the refusal code)',
      labelNames: ['outcome'],
      registers,
    });
    this.#hellos = new LabelCache((outcome) => hellos.labels(outcome), { max: 100, overflow: 'OTHER' });
    const disconnects = new Counter({
      name: 'openclaw_agent_disconnects_total',
      help: 'Agent connections closed, by Socket.IO reason',
      labelNames: ['reason'],
      registers,
    });
    this.#disconnects = new LabelCache((reason) => disconnects.labels(reason), {
      max: DISCONNECT_REASONS.size + 1,
      overflow: 'other',
    });
    this.#authFailures = new Counter({
      name: 'openclaw_auth_failures_total',
      help: 'Refused authentications, by channel (rest, agent) and code',
      labelNames: ['channel', 'code'],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'openclaw_rate_limited_total',
      help: 'Requests and agent handshakes refused with RATE_LIMITED, by channel',
      labelNames: ['channel'],
      registers,
    });
    const execCountDeferred = this.#execCountDeferred;
    this.#execCount = new Counter({
      name: 'openclaw_exec_requests_total',
      help: 'Exec requests answered, by route (node, fan_out), action and outcome code (ok, accepted, or an error code)',
      labelNames: ['route', 'action', 'code'],
      registers,
      collect() {
        execCountDeferred.flush();
      },
    });
    this.#execSeconds = new BucketHistogram({
      name: 'openclaw_exec_duration_seconds',
      help: 'Exec requests, REST request in to answer out, by route and action',
      labelNames: ['route', 'action'],
      buckets: EXEC_BUCKETS,
      registers,
    });
    const nodeSeconds = new BucketHistogram({
      name: 'openclaw_job_node_seconds',
      help: 'Time a job spent on its node (exec sent to answer or failure), by action',
      labelNames: ['action'],
      buckets: EXEC_BUCKETS,
      registers,
    });
    this.#nodeSeconds = new LabelCache((action) => nodeSeconds.labels(action), {
      max: MAX_ACTION_LABELS,
      overflow: 'other',
    });
    new Gauge({
      name: 'openclaw_jobs',
      help: 'Jobs of this process not yet ended, by state (queued includes the offline queue)',
      labelNames: ['state'],
      registers,
      collect() {
        const byState = sources.jobsByState();
        for (const state of ['queued', 'running']) this.set({ state }, byState.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'openclaw_offline_queue_depth',
      help: 'Jobs of this process waiting for their node (queued)',
      registers,
      collect() {
        this.set(sources.jobsByState().get('queued') ?? 0);
      },
    });
    const endedDeferred = new DeferredCounts();
    const ended = new Counter({
      name: 'openclaw_jobs_ended_total',
      help: 'Jobs of this process that ended, by final state',
      labelNames: ['state'],
      registers,
      collect() {
        endedDeferred.flush();
      },
    });
    this.#jobsEnded = new LabelCache((state) => endedDeferred.of(ended.labels(state)), {
      max: 16,
      overflow: 'other',
    });
    new Gauge({
      name: 'openclaw_exec_in_flight',
      help: 'Execs this process sent to a node and waits on',
      registers,
      collect() {
        this.set(sources.execInFlight());
      },
    });
    new Gauge({
      name: 'openclaw_sse_subscribers',
      help: 'Job event streams (Server-Sent Events) open on this process',
      registers,
      collect() {
        this.set(sources.sseSubscribers());
      },
    });
    const messagesDeferred = new DeferredCounts();
    const messages = new Counter({
      name: 'openclaw_socketio_messages_total',
      help: 'Socket.IO message packets (events and acks) on agent connections, by direction',
      labelNames: ['direction'],
      registers,
      collect() {
        messagesDeferred.flush();
      },
    });
    this.messagesIn = messagesDeferred.of(messages.labels('in'));
    this.messagesOut = messagesDeferred.of(messages.labels('out'));
    const storeWrites = new BucketHistogram({
      name: 'openclaw_job_store_write_seconds',
      help: 'Job store writes, by operation',
      labelNames: ['op'],
      buckets: STORE_BUCKETS,
      registers,
    });
    this.#storeWrites = new LabelCache((op) => storeWrites.labels(op), { max: 16, overflow: 'other' });
  }

  /** The text exposition format (`Content-Type` is `contentType`). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  hello(outcome: string): void {
    this.#hellos.get(outcome === 'ok' ? outcome : codeLabel(outcome)).inc();
  }

  disconnect(reason: string): void {
    this.#disconnects.get(reason, (r) => DISCONNECT_REASONS.has(r)).inc();
  }

  authFailure(channel: 'rest' | 'agent', code: string): void {
    this.#authFailures.labels(channel, codeLabel(code)).inc();
  }

  rateLimited(channel: 'rest' | 'agent'): void {
    this.#rateLimited.labels(channel).inc();
  }

  /** One exec request answered: `code` is ok, accepted, or the error code; `seconds` in to out. */
  exec(route: 'node' | 'fan_out', action: string, code: string, seconds: number): void {
    let counts = this.#execCountChildren.get(route);
    if (counts === undefined) {
      counts = new LabelCache(
        (a) =>
          new LabelCache((c) => this.#execCountDeferred.of(this.#execCount.labels(route, a, c)), {
            max: 120,
            overflow: 'OTHER',
          }),
        { max: MAX_ACTION_LABELS, overflow: 'other' },
      );
      this.#execCountChildren.set(route, counts);
    }
    let timings = this.#execSecondsChildren.get(route);
    if (timings === undefined) {
      timings = new LabelCache((a) => this.#execSeconds.labels(route, a), {
        max: MAX_ACTION_LABELS,
        overflow: 'other',
      });
      this.#execSecondsChildren.set(route, timings);
    }
    counts.get(action, this.#knownAction).get(code, isOutcome).inc();
    timings.get(action, this.#knownAction).observe(seconds);
  }

  /** A job left its node (answered, failed, timed out or cut off). */
  nodeTime(action: string, seconds: number): void {
    this.#nodeSeconds.get(action, this.#knownAction).observe(seconds);
  }

  jobEnded(state: string): void {
    this.#jobsEnded.get(state).inc();
  }

  storeWrite(op: string, seconds: number): void {
    this.#storeWrites.get(op).observe(seconds);
  }
}

function isOutcome(code: string): boolean {
  return code === 'ok' || code === 'accepted' || isKnownErrorCode(code);
}
