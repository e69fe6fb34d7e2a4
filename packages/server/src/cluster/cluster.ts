import { OpenClawError } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { AgentNamespace, AgentServer } from '../gateway/types.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { isTerminal, type JobRecord, type JobStore } from '../jobs/index.js';
import type { NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { OfflineQueue } from '../jobs/offline-queue.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { endedRecordOf } from '../jobs/store/redis/redis-ended-rows.js';
import { handoverOf } from '../jobs/store/redis/redis-handovers.js';
import { ClusterBus } from './cluster-bus.js';
import { AuthFailureWatch } from './auth-failure-watch.js';
import { AUTH_FAILURE_WINDOW_MS, authFailureKeys } from './redis-rate-limits.js';
import { ClusterJobs } from './cluster-jobs.js';
import { clusterKeys, type ClusterKeys } from './cluster-keys.js';
import { redactRedisUrl, type ResolvedClusterSettings } from './cluster-settings.js';
import { Presence } from './presence.js';
import { ProcessReaper } from './process-reaper.js';
import {
  connectClusterRedis,
  createClusterRedis,
  quitClusterRedis,
  type ClusterRedis,
} from '../redis/cluster-clients.js';
import { isRemoteConnection, type RemoteConnection } from './remote-connection.js';
import type { ClusterRouting, JobOwnershipTracker, PreparedStart } from '../jobs/cluster-routing.js';

/** The parts of one server process the cluster joins together. */
export interface ClusterParts {
  /** Gets the Redis adapter at start(), once Redis answers. */
  io: AgentServer;
  namespace: AgentNamespace;
  registry: NodeRegistry;
  catalog: PluginCatalog;
  pending: PendingJobs;
  store: JobStore;
  runner: JobRunner;
  dispatcher: Dispatcher;
  queue: OfflineQueue;
  cancelWaitMs: number;
}

/**
 * Scale-out mode: this server process joined to others through Redis — shared presence, jobs run
 * where their node's socket is, heartbeats, and cleanup after a process that died.
 */
export class Cluster implements ClusterRouting, JobOwnershipTracker {
  readonly settings: ResolvedClusterSettings;
  readonly redis: ClusterRedis;
  readonly keys: ClusterKeys;
  /** Addresses that failed to log in lately, anywhere in the cluster (the shared limits read it). */
  readonly authFailures: AuthFailureWatch;
  readonly #logger: Logger;
  #parts: ClusterParts | undefined;
  #bus: ClusterBus | undefined;
  #jobs: ClusterJobs | undefined;
  #presence: Presence | undefined;
  #reaper: ProcessReaper | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #redisDown = false;

  constructor(settings: ResolvedClusterSettings, logger: Logger) {
    this.settings = settings;
    this.keys = clusterKeys(settings.keyPrefix);
    this.redis = createClusterRedis(settings);
    this.#logger = logger.child({ process_id: settings.processId });
    this.authFailures = new AuthFailureWatch({
      client: this.redis.limits,
      subscriber: this.redis.subscriber,
      ...authFailureKeys(this.limitsPrefix),
      windowMs: AUTH_FAILURE_WINDOW_MS,
    });
  }

  /** The key prefix of the shared rate limits (createSharedLimits). */
  get limitsPrefix(): string {
    return `${this.settings.keyPrefix}cluster:`;
  }

  get processId(): string {
    return this.settings.processId;
  }

  /** Join the server's parts (after the Socket.IO server exists). */
  attach(parts: ClusterParts): void {
    const { processId: self, rpcTimeoutMs } = this.settings;
    const redis = this.redis.command;
    this.#parts = parts;
    this.#bus = new ClusterBus({
      namespace: parts.namespace,
      publisher: this.redis.command,
      subscriber: this.redis.subscriber,
      inbox: (id) => this.keys.inbox(id),
      self,
      timeoutMs: rpcTimeoutMs,
      logger: this.#logger,
    });
    this.#jobs = new ClusterJobs({
      self,
      redis,
      keys: this.keys,
      bus: this.#bus,
      registry: parts.registry,
      catalog: parts.catalog,
      store: parts.store,
      runner: parts.runner,
      logger: this.#logger,
      cancelWaitMs: parts.cancelWaitMs,
      rpcTimeoutMs,
    });
    this.#jobs.attach(parts.dispatcher, parts.queue);
    const jobs = this.#jobs;
    const bus = this.#bus;
    this.#presence = new Presence({
      self,
      redis,
      keys: this.keys,
      bus,
      registry: parts.registry,
      catalog: parts.catalog,
      pending: parts.pending,
      logger: this.#logger,
      peer: {
        cancel: (owner, commandId) =>
          void jobs.abandonOn(owner, commandId, 'cancelled').catch(() => undefined),
        replace: (owner, nodeId, connectionId, reason) =>
          void bus
            .call(owner, 'replace', { node_id: nodeId, connection_id: connectionId, reason })
            .catch(() => undefined),
      },
    });
    bus.handle('replace', async (args) => {
      const { node_id, connection_id, reason } = args as {
        node_id: string;
        connection_id: string;
        reason: string;
      };
      const session = parts.registry.get(node_id);
      if (session?.connection.id === connection_id) session.connection.replace(reason);
      return null;
    });
    this.#reaper = new ProcessReaper({
      self,
      redis,
      keys: this.keys,
      presence: this.#presence,
      store: parts.store,
      logger: this.#logger,
      processTtlMs: this.settings.processTtlMs,
      abandon: (commandId) => this.#jobs?.abandon(commandId) ?? Promise.resolve(false),
    });
  }

  /** Connect to Redis, say this process is alive, load the cluster's nodes, start heartbeats. */
  async start(): Promise<void> {
    const parts = this.#parts;
    if (!parts || !this.#presence)
      throw new OpenClawError('INTERNAL_ERROR', 'Cluster.start() before attach()');
    await connectClusterRedis(this.redis, this.settings);
    parts.io.adapter(this.redis.createAdapter());
    await this.#bus?.start();
    await this.authFailures.start();
    await this.#beat();
    await this.#presence.start();
    this.#unsubscribe = parts.store.subscribe((event) => {
      if (event.type !== 'state') return;
      // A job another process stored for a node here: its start came with its first event.
      if (event.seq === 1) {
        const handover = handoverOf(event);
        if (handover?.to === this.settings.processId) this.#bus?.receive(handover.message);
        return;
      }
      // A job run by another process ended: wake whoever waits for it here.
      if (!isTerminal(event.data.state)) return;
      this.#jobs?.ended(event.job_id);
      const { runner, store } = parts;
      if (runner.has(event.job_id) || !runner.isAwaited(event.job_id)) return;
      // The ending write published the row with the event: no need to read it back.
      const carried = endedRecordOf(event);
      if (carried) return runner.ended([carried]);
      void store.get(event.job_id).then(
        (record) => record && runner.ended([record]),
        () => undefined,
      );
    });
    this.redis.command.on('ready', this.#onReady);
    this.redis.command.on('error', this.#onError);
    this.#heartbeat = setInterval(() => void this.#tick(), this.settings.heartbeatMs);
    this.#heartbeat.unref();
    this.#started = true;
    this.#logger.info(
      {
        redis: redactRedisUrl(this.settings.redis),
        adapter: this.settings.adapter,
        nodes: parts.registry.size,
      },
      'joined the cluster',
    );
  }

  /** Check other processes now (tests and the heartbeat); resolves with the ids reaped here. */
  sweep(): Promise<string[]> {
    return this.#reaper?.sweep() ?? Promise.resolve([]);
  }

  /**
   * Wait until Redis has every local change so far (nodes that left, jobs that ended), after giving up
   * the starts no other process took yet: the store is still open here, so their jobs end `failed`.
   */
  async drain(): Promise<void> {
    this.#jobs?.close();
    // A create still in flight fails within the store's offline timeout; this one is shorter.
    await this.#jobs?.settled(this.settings.rpcTimeoutMs);
    await this.#jobs?.flush();
    await this.#presence?.flush();
  }

  /** Leave the cluster: the heartbeat key goes at once, so nobody waits for it to expire. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#unsubscribe?.();
    this.redis.command.off('ready', this.#onReady);
    this.#presence?.close();
    this.#bus?.close();
    this.#jobs?.close();
    this.authFailures.stop();
    await this.#jobs?.flush();
    await this.#presence?.flush();
    if (this.#started && this.redis.command.status === 'ready') {
      const { processId: self } = this.settings;
      await this.redis.command
        .multi()
        .del(this.keys.alive(self), this.keys.processNodes(self))
        .srem(this.keys.processes, self)
        .exec()
        .catch(() => undefined);
    }
    await quitClusterRedis(this.redis);
    this.redis.command.off('error', this.#onError);
  }

  isRemote(session: NodeSession): session is NodeSession & { connection: RemoteConnection } {
    return this.#need().isRemote(session);
  }
  startOn(
    record: JobRecord,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): void {
    this.#need().startOn(record, session, params, timeoutMs);
  }
  prepareStart(
    commandId: string,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): PreparedStart | undefined {
    return this.#need().prepareStart(commandId, session, params, timeoutMs);
  }
  deliverOn(owner: string, nodeId: string): void {
    this.#need().deliverOn(owner, nodeId);
  }
  holdHere(commandId: string, expiresAt: number | null): void {
    this.#need().holdHere(commandId, expiresAt);
  }
  fetchHeld(commandId: string): Promise<Record<string, unknown> | undefined> {
    return this.#need().fetchHeld(commandId);
  }
  runnerOf(commandId: string): Promise<string | undefined> {
    return this.#need().runnerOf(commandId);
  }
  cancelOn(
    owner: string,
    commandId: string,
    by: string | undefined,
  ): Promise<{ record: JobRecord; ended: boolean }> {
    return this.#need().cancelOn(owner, commandId, by);
  }
  abandonOn(owner: string, commandId: string, reason: string): Promise<void> {
    return this.#need().abandonOn(owner, commandId, reason);
  }
  sent(commandId: string, recorded: boolean): void {
    this.#jobs?.sent(commandId, recorded);
  }
  released(commandId: string, ending: boolean): void {
    this.#jobs?.released(commandId, ending);
  }
  runsElsewhere(commandId: string): boolean {
    return this.#jobs?.runsElsewhere(commandId) ?? false;
  }

  #need(): ClusterJobs {
    if (!this.#jobs) throw new OpenClawError('INTERNAL_ERROR', 'The cluster is not attached');
    return this.#jobs;
  }

  async #beat(): Promise<void> {
    const { processId: self, processTtlMs } = this.settings;
    const replies = await this.redis.command
      .multi()
      .set(this.keys.alive(self), String(process.pid), 'PX', processTtlMs, 'GET')
      .sadd(this.keys.processes, self)
      .exec();
    if (this.#started && replies?.[0]?.[1] === null) {
      // Our heartbeat lapsed (Redis was away longer than processTtlMs): the others may have taken us
      // for dead and removed our nodes. Say again what we hold.
      this.#logger.warn('this process was silent longer than processTtlMs; re-announcing its nodes');
      await this.#presence?.resync();
    }
  }

  async #tick(): Promise<void> {
    try {
      await this.#beat();
      await this.#reaper?.sweep();
      await this.#pruneDeparted();
    } catch (error) {
      this.#logger.warn({ err: error }, 'cluster heartbeat failed');
    }
  }

  /** Nodes shown for processes that are gone (a 'gone' announcement can be lost): drop them here. */
  async #pruneDeparted(): Promise<void> {
    const registry = this.#parts?.registry;
    if (!registry) return;
    const byOwner = new Map<string, NodeSession[]>();
    for (const session of registry.list()) {
      if (!isRemoteConnection(session.connection)) continue;
      const owner = session.connection.owner;
      const sessions = byOwner.get(owner);
      if (sessions) sessions.push(session);
      else byOwner.set(owner, [session]);
    }
    for (const [owner, sessions] of byOwner) {
      if ((await this.redis.command.exists(this.keys.alive(owner))) === 1) continue;
      for (const s of sessions) registry.unregister(s.nodeId, s.connection.id);
      this.#logger.info({ owner, nodes: sessions.length }, 'dropped the nodes of a server process that left');
    }
  }

  readonly #onReady = (): void => {
    if (!this.#started) return;
    this.#redisDown = false;
    this.#logger.info('Redis is back; re-announcing this process and its nodes');
    void this.#beat()
      .then(() => this.#presence?.resync())
      .catch((error: unknown) => this.#logger.warn({ err: error }, 'cluster resync failed'));
  };

  readonly #onError = (error: Error): void => {
    if (this.#redisDown) return;
    this.#redisDown = true;
    this.#logger.warn({ err: { message: error.message } }, 'Redis connection error; retrying');
  };
}
