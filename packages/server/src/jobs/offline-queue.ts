import { OpenClawError, assertValid, isOpenClawError, parseActionId } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { ClusterRouting } from './cluster-routing.js';
import type { JobRunner } from './job-runner.js';
import { REDACTED, isTerminal, type JobRecord, type JobStore } from './index.js';
import type { NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { resolveTarget } from './resolve-target.js';

export interface OfflineQueueOptions {
  store: JobStore;
  registry: NodeRegistry;
  catalog: PluginCatalog;
  runner: JobRunner;
  logger: Logger;
  /** How often queued jobs past their ttl expire. */
  expireIntervalMs: number;
  /** After a node answered NODE_BUSY, wait this long before offering it queued jobs again. */
  busyRetryMs?: number;
  /** Scale-out mode: a node held by another process gets its queued jobs from that process. */
  cluster?: ClusterRouting;
}

/**
 * Jobs waiting for their node (`"queue": true`): delivered oldest first when the node connects and
 * has room (its reported limits), re-queued if it disconnects before accepting one, expired past
 * their ttl. The real params of a queued job live here, in memory; the store only has them redacted.
 */
export class OfflineQueue {
  readonly #o: OfflineQueueOptions;
  readonly #params = new Map<string, Record<string, unknown>>();
  readonly #pumping = new Set<string>();
  readonly #again = new Set<string>();
  /** Nodes whose last delivery stopped for want of room: a slot freeing up may let more through. */
  readonly #backlog = new Set<string>();
  readonly #retry = new Map<string, NodeJS.Timeout>();
  #sweep: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;
  #stopped = false;

  constructor(options: OfflineQueueOptions) {
    this.#o = options;
    // A job ending frees a slot; only a node with jobs left over for want of room needs the store read
    // again (every other queued job is offered when it is queued, at hello, or by another process).
    options.runner.onSettled((nodeId, busy) => {
      if (busy) this.#retryLater(nodeId);
      else if (this.#backlog.has(nodeId)) this.deliver(nodeId);
    });
    options.store.subscribe((event) => {
      if (event.type === 'state' && isTerminal(event.data.state)) this.#params.delete(event.job_id);
    });
  }

  /** Keep the real params of a queued job until it ends. */
  hold(commandId: string, params: Record<string, unknown>, expiresAt: number | null = null): void {
    this.#params.set(commandId, params);
    this.#o.cluster?.holdHere(commandId, expiresAt);
  }

  /** The real params of a queued job this process keeps (another process delivering it asks). */
  heldParams(commandId: string): Record<string, unknown> | undefined {
    return this.#params.get(commandId);
  }

  /** Start the expiry sweep (unref'd: it never keeps the process alive). */
  start(): void {
    this.#stopped = false;
    this.#sweep ??= setInterval(() => void this.expire(), this.#o.expireIntervalMs);
    this.#sweep.unref();
  }

  /** Expire queued jobs past their ttl now; resolves with how many expired. */
  async expire(): Promise<number> {
    const run = (this.#sweeping ??= this.#o.store
      .expireQueued()
      .then((records) => {
        for (const r of records) this.#params.delete(r.command_id);
        this.#o.runner.ended(records);
        if (records.length > 0)
          this.#o.logger.info(
            { expired: records.length, command_ids: records.slice(0, 20).map((r) => r.command_id) },
            'queued jobs expired',
          );
        return records.length;
      })
      .catch((error: unknown) => {
        this.#o.logger.warn({ err: error }, 'expiring queued jobs failed');
        return 0;
      })
      .finally(() => (this.#sweeping = undefined)));
    return run;
  }

  /** Offer a node its queued jobs (after its hello, a new queued job, or a free slot). */
  deliver(nodeId: string): void {
    if (this.#stopped) return;
    if (this.#pumping.has(nodeId)) {
      this.#again.add(nodeId);
      return;
    }
    this.#pumping.add(nodeId);
    void (async () => {
      try {
        do {
          this.#again.delete(nodeId);
          await this.#deliverSome(nodeId);
        } while (this.#again.has(nodeId) && !this.#stopped);
      } catch (error) {
        this.#o.logger.warn({ err: error, node_id: nodeId }, 'delivering queued jobs failed');
      } finally {
        this.#pumping.delete(nodeId);
      }
    })();
  }

  /** Stop the sweep and retries; queued jobs stay in the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const timer of this.#retry.values()) clearTimeout(timer);
    this.#retry.clear();
    await this.#sweeping;
  }

  async #deliverSome(nodeId: string): Promise<void> {
    this.#backlog.delete(nodeId);
    const session = this.#o.registry.get(nodeId);
    if (!session) return;
    const { runner, cluster } = this.#o;
    if (cluster?.isRemote(session)) return cluster.deliverOn(session.connection.owner, nodeId);
    const limits = session.limits;
    let room = limits
      ? limits.maxConcurrentJobs + limits.maxQueuedJobs - runner.countForNode(nodeId)
      : Number.POSITIVE_INFINITY;
    if (room <= 0) {
      this.#backlog.add(nodeId);
      return;
    }
    const queued = await this.#o.store.queuedForNode(nodeId);
    for (const record of queued) {
      if (room <= 0) this.#backlog.add(nodeId);
      if (room <= 0 || this.#stopped) return;
      // The node may have gone (or reconnected) while we read the store.
      if (this.#o.registry.get(nodeId) !== session) return;
      if (runner.has(record.command_id)) continue;
      if (cluster && !this.#params.has(record.command_id) && hasRedacted(record.params)) {
        // Received by another process, which kept the secrets in memory: ask it.
        const held = await cluster.fetchHeld(record.command_id);
        if (held) this.#params.set(record.command_id, held);
      }
      if (this.#sendOne(session, record)) room -= 1;
    }
  }

  #sendOne(session: NodeSession, record: JobRecord): boolean {
    const commandId = record.command_id;
    const held = this.#params.get(commandId);
    const params = structuredClone(held ?? record.params);
    let timeoutS: number;
    try {
      if (!held && hasRedacted(params)) {
        throw new OpenClawError(
          'INVALID_PARAMS',
          'The secret params of this queued job were not kept across a server restart; submit it again',
          { details: { field: 'params' } },
        );
      }
      const target = resolveTarget(
        this.#o.registry,
        this.#o.catalog,
        session.nodeId,
        parseActionId(record.action),
      );
      assertValid(target.validate(params));
      timeoutS = record.timeout_s ?? target.action.timeout ?? 30;
    } catch (error) {
      // It can never run on this node as it is: fail it rather than retry forever.
      const reason = isOpenClawError(error) ? error : new OpenClawError('INTERNAL_ERROR');
      this.#o.runner.end(commandId, 'failed', { error: reason }).catch((e: unknown) => {
        this.#o.logger.warn({ err: e, command_id: commandId }, 'could not fail an undeliverable queued job');
      });
      return false;
    }
    this.#o.runner.send({
      record,
      nodeId: session.nodeId,
      connection: session.connection,
      params,
      timeoutMs: Math.max(1, Math.round(timeoutS * 1000)),
      offline: true,
      acceptsJobs: session.limits !== undefined,
    });
    return true;
  }

  #retryLater(nodeId: string): void {
    if (this.#stopped || this.#retry.has(nodeId)) return;
    const timer = setTimeout(() => {
      this.#retry.delete(nodeId);
      this.deliver(nodeId);
    }, this.#o.busyRetryMs ?? 1000);
    timer.unref();
    this.#retry.set(nodeId, timer);
  }
}

function hasRedacted(value: unknown): boolean {
  if (value === REDACTED) return true;
  if (Array.isArray(value)) return value.some(hasRedacted);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasRedacted);
  return false;
}
