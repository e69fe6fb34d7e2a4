import { OpenClawError, assertValid, isOpenClawError, parseActionId } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { isTerminal, type JobRecord, type JobStore } from '../jobs/index.js';
import { toJobRecord } from '../jobs/store/job-row.js';
import { RUNNER_FIELD } from '../jobs/store/redis/redis-keys.js';
import { fromStoredJob } from '../jobs/store/redis/redis-rows.js';
import type { NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { OfflineQueue } from '../jobs/offline-queue.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { resolveTarget } from '../jobs/resolve-target.js';
import type { PreparedStart } from '../jobs/cluster-routing.js';
import { REPLIED, unavailable, type ClusterBus, type PreparedReply } from './cluster-bus.js';
import type { ClusterKeys } from './cluster-keys.js';
import { isRemoteConnection, type RemoteConnection } from './remote-connection.js';

export interface ClusterJobsOptions {
  self: string;
  redis: Redis;
  keys: ClusterKeys;
  bus: ClusterBus;
  registry: NodeRegistry;
  catalog: PluginCatalog;
  store: JobStore;
  runner: JobRunner;
  logger: Logger;
  /** Cancel calls wait this long for the node on the owner, plus the bus deadline. */
  cancelWaitMs: number;
  rpcTimeoutMs: number;
}

/** Jobs handed over and not seen ending that are remembered at most (waiters read the store past it). */
const ELSEWHERE_KEPT = 100_000;
/** Written instead of a process id when the requester gave up on a start nobody confirmed. */
const ABANDONED = '-';

/**
 * Job ownership: the process running a job is the field `_r` of the job's own hash, so the store's
 * write that ends the job needs no other key, and one write per change records it. The reaper finds
 * a dead process's jobs among the `running` ones (process-reaper.ts). KEYS: the job's hash. ARGV: the
 * process id.
 */
const OWNERSHIP_SCRIPTS = {
  // Take a job another process handed over, only while it is `running` in the store and unless
  // someone wrote its runner first: { 'taken' }, { 'state', state or nil }, or { 'claimed', hash }.
  // Claimed, it publishes message ARGV[3] on channel ARGV[2] (unless ''): the requester's reply
  // (cluster-bus.ts).
  ocClaimJob: `
local h = redis.call('HGETALL', KEYS[1])
local state, runner = false, false
for i = 1, #h, 2 do
  if h[i] == 'state' then state = h[i + 1] elseif h[i] == '${RUNNER_FIELD}' then runner = h[i + 1] end
end
if state ~= 'running' then return { 'state', state } end
if runner then return { 'taken' } end
redis.call('HSET', KEYS[1], '${RUNNER_FIELD}', ARGV[1])
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return { 'claimed', h }`,
  // A job this process sends that its create did not name it for: an offline-queued job delivered
  // here (not one that ended or was purged meanwhile).
  ocOwnJob: `
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'queued' and state ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], '${RUNNER_FIELD}', ARGV[1])
return 1`,
  ocReleaseJob: `
if redis.call('HGET', KEYS[1], '${RUNNER_FIELD}') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], '${RUNNER_FIELD}')
return 1`,
  // The requester gave up on a start nobody confirmed: 1 unless a runner was written first.
  ocAbandonJob: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HSETNX', KEYS[1], '${RUNNER_FIELD}', ARGV[1])`,
} as const;

type OwnershipScript = (jobKey: string, processId: string, ...args: string[]) => Promise<unknown>;

function defineOwnershipScripts(redis: Redis): Record<keyof typeof OWNERSHIP_SCRIPTS, OwnershipScript> {
  const out = {} as Record<keyof typeof OWNERSHIP_SCRIPTS, OwnershipScript>;
  for (const [name, lua] of Object.entries(OWNERSHIP_SCRIPTS) as [keyof typeof OWNERSHIP_SCRIPTS, string][]) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    out[name] = (redis as unknown as Record<string, OwnershipScript>)[name]!.bind(redis);
  }
  return out;
}

interface StartArgs {
  command_id: string;
  node_id: string;
  connection_id: string;
  params: Record<string, unknown>;
  timeout_ms: number;
}

/**
 * Jobs across processes. A job runs on the process holding its node's connection (its runner
 * follows the socket); other processes start and cancel it there and learn its end from the shared
 * store's events. Redis records which process runs each job, so a dead process's jobs can end `lost`.
 */
export class ClusterJobs {
  readonly #o: ClusterJobsOptions;
  #dispatcher: Dispatcher | undefined;
  #queue: OfflineQueue | undefined;
  readonly #writes = new Set<Promise<unknown>>();
  readonly #scripts: Record<keyof typeof OWNERSHIP_SCRIPTS, OwnershipScript>;
  /** Jobs claimed by #serveStart and about to be sent: their ownership is written already. */
  readonly #claimed = new Set<string>();
  /** Jobs this process handed to another one (startOn) whose end it has not seen yet. */
  readonly #elsewhere = new Set<string>();
  /** Jobs whose create published their start call, until startOn (called right after) sees them. */
  readonly #handedOver = new Set<string>();
  /**
   * Jobs whose start went out with their create (a tell: the owner does not answer): given up at
   * rpcTimeoutMs unless the owner claimed them by then or their end came first.
   */
  readonly #deadlines = new Map<string, NodeJS.Timeout>();
  /** Starts prepared whose create has not settled yet; close() waits for them (settled()). */
  #unsettled = 0;
  #allSettled: (() => void) | undefined;
  #closed = false;

  constructor(options: ClusterJobsOptions) {
    this.#o = options;
    this.#scripts = defineOwnershipScripts(options.redis);
    const { bus } = options;
    bus.handle('start', (args, _from, reply) => this.#serveStart(args as StartArgs, reply));
    bus.handle('cancel', (args) =>
      this.#serveCancel(args as { command_id: string; by?: string; immediate?: boolean }),
    );
    bus.handle(
      'held-params',
      async (args) => this.#queue?.heldParams((args as { command_id: string }).command_id) ?? null,
    );
    bus.handle('deliver', async (args) => {
      this.#queue?.deliver((args as { node_id: string }).node_id);
      return null;
    });
  }

  /** The parts built after this one (they take it as an option). */
  attach(dispatcher: Dispatcher, queue: OfflineQueue): void {
    this.#dispatcher = dispatcher;
    this.#queue = queue;
  }

  /** The runner sent a job over one of this process's connections. */
  sent(commandId: string, recorded: boolean): void {
    // Handed over by another process: #serveStart claimed it, in the same write as this one would be.
    // Created here for a node here: the store's create wrote the runner (NewJob.runner).
    if (this.#claimed.delete(commandId) || recorded) return;
    this.#track(this.#ownership('ocOwnJob', commandId));
  }

  /**
   * The runner stopped following a job: it went back to the queue, or it ends (`ending`) and the
   * store's write of its end releases it in the same script.
   */
  released(commandId: string, ending: boolean): void {
    if (!ending) this.#track(this.#ownership('ocReleaseJob', commandId));
  }

  /** True when the session's socket is on another process (jobs for it go through start()). */
  isRemote(session: NodeSession): session is NodeSession & { connection: RemoteConnection } {
    return isRemoteConnection(session.connection);
  }

  /** Start a stored `running` job on the process holding the node; a failure ends the job (unless the owner took it). */
  startOn(
    record: JobRecord,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): void {
    // Its create published the start call already (prepareStart).
    if (this.#handedOver.delete(record.command_id)) return;
    this.#runsElsewhere(record.command_id);
    const args = this.#startArgs(record.command_id, session, params, timeoutMs);
    this.#endIfRefused(record.command_id, this.#o.bus.call(session.connection.owner, 'start', args));
  }

  /**
   * The start call for the store's create to publish with the job's first event (NewJob.handover;
   * ClusterRouting.prepareStart): a tell, which the owner does not answer. It claims the job, or ends
   * it failed itself when it cannot run it; this process gives the job up at rpcTimeoutMs unless it
   * was claimed (or ended) by then, as with an unanswered call.
   */
  prepareStart(
    commandId: string,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): PreparedStart | undefined {
    const { bus, rpcTimeoutMs } = this.#o;
    const owner = session.connection.owner;
    if (this.#closed) return undefined;
    const message = bus.prepareTell(owner, 'start', this.#startArgs(commandId, session, params, timeoutMs));
    // From now on, not when the create answers: the owner may run the job and its end event reach
    // this process before the create's own reply does (ended() then forgets it again, and a caller
    // who waits next asks the store).
    this.#runsElsewhere(commandId);
    this.#unsettled += 1;
    return {
      to: owner,
      message,
      settle: (outcome) => {
        this.#unsettled -= 1;
        if (this.#unsettled === 0) this.#allSettled?.();
        if (outcome === 'not-sent') {
          this.#elsewhere.delete(commandId);
          return;
        }
        // 'unknown' (the create failed, maybe after its script ran): if the owner got the start it
        // runs the job; if nobody claims it, the job (if stored) ends failed like any unanswered start.
        if (outcome === 'sent') this.#handedOver.add(commandId);
        // Ended already (its end event beat the create's reply): nothing to give up.
        if (!this.#elsewhere.has(commandId)) return;
        if (this.#closed) return this.#track(this.#giveUp(commandId, stopped(this.#o.self)));
        const timer = setTimeout(() => {
          this.#deadlines.delete(commandId);
          void this.#giveUp(commandId, unavailable(owner, 'start', `no answer within ${rpcTimeoutMs} ms`));
        }, rpcTimeoutMs);
        timer.unref();
        this.#deadlines.set(commandId, timer);
      },
    };
  }

  #startArgs(
    commandId: string,
    session: NodeSession & { connection: RemoteConnection },
    params: Record<string, unknown>,
    timeoutMs: number,
  ): StartArgs {
    return {
      command_id: commandId,
      node_id: session.nodeId,
      connection_id: session.connection.id,
      params,
      timeout_ms: timeoutMs,
    };
  }

  /** The job is (about to be) run by another process: waiters here learn its end from its events. */
  #runsElsewhere(commandId: string): void {
    this.#elsewhere.add(commandId);
    // Bounded: an end whose event never came (trimmed while this process was cut off) is forgotten.
    if (this.#elsewhere.size > ELSEWHERE_KEPT) this.#elsewhere.delete(this.#elsewhere.values().next().value!);
  }

  /** A start call went to the owner: if it fails, the job ends failed (unless the owner took it). */
  #endIfRefused(commandId: string, call: Promise<unknown>): void {
    call.catch((error: unknown) => this.#giveUp(commandId, error));
  }

  /** Take a job nobody claimed away from a late owner: true when this write came first (ProcessReaper). */
  async abandon(commandId: string): Promise<boolean> {
    return (await this.#scripts.ocAbandonJob(this.#o.keys.job(commandId), ABANDONED)) === 1;
  }

  /** Nobody confirmed the start: the job ends failed with `error`, unless the owner claimed it first. */
  async #giveUp(commandId: string, error: unknown): Promise<void> {
    try {
      // The owner may have started it and only its answer was late: whoever writes the runner first decides.
      if (await this.abandon(commandId)) await this.#failUnstarted(commandId, error);
    } catch (failure) {
      this.#o.logger.warn({ err: failure, command_id: commandId }, 'could not end a job that did not start');
    }
  }

  /** End a job that was never sent `failed`, with `error` (an OpenClawError as is, else INTERNAL_ERROR). */
  async #failUnstarted(commandId: string, error: unknown): Promise<void> {
    const reason = isOpenClawError(error) ? error : new OpenClawError('INTERNAL_ERROR');
    try {
      await this.#o.runner.end(commandId, 'failed', { error: reason });
    } catch (failure) {
      this.#o.logger.warn({ err: failure, command_id: commandId }, 'could not end a job that did not start');
    }
  }

  /** True for a job startOn handed over, until ended() hears its end. */
  runsElsewhere(commandId: string): boolean {
    return this.#elsewhere.has(commandId);
  }

  /** A job ended (its terminal event reached this process). */
  ended(commandId: string): void {
    this.#elsewhere.delete(commandId);
    const deadline = this.#deadlines.get(commandId);
    if (deadline === undefined) return;
    clearTimeout(deadline);
    this.#deadlines.delete(commandId);
  }

  /**
   * The process is stopping: a start not yet claimed is given up now (as a call still waiting for its
   * answer fails when the bus closes), so that no job is left `running` with nobody to run it. flush()
   * waits for those writes.
   */
  close(): void {
    this.#closed = true;
    for (const [commandId, timer] of this.#deadlines) {
      clearTimeout(timer);
      this.#track(this.#giveUp(commandId, stopped(this.#o.self)));
    }
    this.#deadlines.clear();
  }

  /**
   * Resolves once every start prepared so far has settled (its create answered or failed), or after
   * `timeoutMs`: a create still in flight when the process stops is given up when it settles.
   */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#unsettled === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#allSettled = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.#allSettled = undefined;
  }

  /** This process keeps the real params of a queued job until it expires: say so for whoever delivers it. */
  holdHere(commandId: string, expiresAt: number | null): void {
    const { redis, keys, self } = this.#o;
    const ttl = Math.max(60_000, (expiresAt ?? Date.now()) - Date.now() + 60_000);
    this.#track(redis.set(keys.paramsHolder(commandId), self, 'PX', ttl));
  }

  /** The real params of a queued job another process received; undefined when nobody has them any more. */
  async fetchHeld(commandId: string): Promise<Record<string, unknown> | undefined> {
    const { redis, keys, self, bus, logger } = this.#o;
    try {
      const holder = await redis.get(keys.paramsHolder(commandId));
      if (holder === null || holder === self) return undefined;
      const params = await bus.call(holder, 'held-params', { command_id: commandId });
      return params === null || typeof params !== 'object' ? undefined : (params as Record<string, unknown>);
    } catch (error) {
      logger.warn({ err: error, command_id: commandId }, 'could not fetch the params of a queued job');
      return undefined;
    }
  }

  /** Ask another process to start or queue-deliver: its node's queued jobs are offered there. */
  deliverOn(owner: string, nodeId: string): void {
    this.#o.bus.call(owner, 'deliver', { node_id: nodeId }).catch((error: unknown) => {
      this.#o.logger.warn(
        { err: error, node_id: nodeId, owner },
        'could not ask the owner to deliver queued jobs',
      );
    });
  }

  /** The live process (not this one) running the job, if any. */
  async runnerOf(commandId: string): Promise<string | undefined> {
    const { redis, keys, self } = this.#o;
    const [state, owner] = await redis.hmget(keys.job(commandId), 'state', RUNNER_FIELD);
    if (state !== 'queued' && state !== 'running') return undefined;
    if (!owner || owner === self || owner === ABANDONED) return undefined;
    return (await redis.exists(keys.alive(owner))) === 1 ? owner : undefined;
  }

  /** Cancel a job on the process running it (the same answer as a local cancel). */
  async cancelOn(
    owner: string,
    commandId: string,
    by: string | undefined,
  ): Promise<{ record: JobRecord; ended: boolean }> {
    const { bus, rpcTimeoutMs, cancelWaitMs } = this.#o;
    return (await bus.call(owner, 'cancel', { command_id: commandId, by }, rpcTimeoutMs + cancelWaitMs)) as {
      record: JobRecord;
      ended: boolean;
    };
  }

  /** The caller of a job run elsewhere went away: end it there at once. */
  async abandonOn(owner: string, commandId: string, reason: string): Promise<void> {
    await this.#o.bus.call(owner, 'cancel', { command_id: commandId, by: reason, immediate: true });
  }

  /** Wait for the Redis writes of job ownership. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  /**
   * A start from the requester: a call it answers (`reply`), or a tell published with the job's
   * create, which nobody answers — what cannot be run is then ended here (NODE_DISCONNECTED) and what
   * cannot be claimed (given up, cancelled meanwhile) is left as it is.
   */
  async #serveStart(args: StartArgs, reply: PreparedReply | undefined): Promise<typeof REPLIED | undefined> {
    const { registry, runner, keys, self } = this.#o;
    const session = registry.get(args.node_id);
    const key = keys.job(args.command_id);
    if (!session || session.connection.id !== args.connection_id || isRemoteConnection(session.connection)) {
      const gone = new OpenClawError(
        'NODE_DISCONNECTED',
        `Node "${args.node_id}" disconnected before the job was sent`,
      );
      if (reply) throw gone;
      const [status] = (await this.#scripts.ocClaimJob(key, self, '', '')) as [string];
      if (status === 'claimed') await this.#failUnstarted(args.command_id, gone);
      return undefined;
    }
    // The job is read and claimed in one step, and only while it is running: a cancel that comes
    // later finds this process as the runner, one that came earlier left it ended. The same step
    // answers the requester, which then never gives the job up.
    const [status, payload] = (await this.#scripts.ocClaimJob(
      key,
      self,
      reply?.channel ?? '',
      reply?.ok(null) ?? '',
    )) as [string, unknown];
    if (status !== 'claimed' && !reply) return undefined;
    if (status === 'taken') {
      throw new OpenClawError('CLUSTER_UNAVAILABLE', 'The requesting server process gave up on this job');
    }
    if (status !== 'claimed') {
      throw new OpenClawError('JOB_STATE_CONFLICT', `Job ${args.command_id} is not waiting to be sent`, {
        details: { command_id: args.command_id, state: typeof payload === 'string' ? payload : null },
      });
    }
    let record: JobRecord;
    try {
      record = toJobRecord(fromStoredJob([payload, []]));
      // Checked again here: whoever can publish on this Redis must not get past the schema.
      assertValid(
        resolveTarget(registry, this.#o.catalog, session.nodeId, parseActionId(record.action)).validate(
          args.params,
        ),
      );
    } catch (error) {
      // Claimed (and answered): the job is this process's to end.
      await this.#failUnstarted(args.command_id, error);
      return REPLIED;
    }
    this.#claimed.add(args.command_id);
    runner.send({
      record,
      nodeId: session.nodeId,
      connection: session.connection,
      params: args.params,
      timeoutMs: args.timeout_ms,
      offline: false,
      acceptsJobs: session.limits !== undefined,
    });
    return REPLIED;
  }

  async #serveCancel(args: { command_id: string; by?: string; immediate?: boolean }): Promise<unknown> {
    const { runner, store } = this.#o;
    if (args.immediate) {
      runner.cancel(args.command_id, args.by ?? 'The caller went away', true);
      return null;
    }
    if (!this.#dispatcher) throw new OpenClawError('INTERNAL_ERROR');
    if (!runner.has(args.command_id)) {
      const record = await store.get(args.command_id);
      if (record && isTerminal(record.state)) return { record, ended: true };
    }
    return this.#dispatcher.cancel(args.command_id, args.by);
  }

  #ownership(name: 'ocOwnJob' | 'ocReleaseJob', commandId: string): Promise<unknown> {
    const { keys, self } = this.#o;
    return this.#scripts[name](keys.job(commandId), self);
  }

  #track(write: Promise<unknown>): void {
    const tracked = write.catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'could not record job ownership in Redis');
    });
    this.#writes.add(tracked);
    void tracked.finally(() => this.#writes.delete(tracked));
  }
}

function stopped(self: string): OpenClawError {
  return new OpenClawError('CLUSTER_UNAVAILABLE', 'This server process stopped before the job was taken', {
    details: { process_id: self },
  });
}
