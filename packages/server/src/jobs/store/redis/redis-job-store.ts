import type { Redis } from 'ioredis';
import { compareNewestFirst, decodeCursor, pageOf, resolvePageLimit } from '../cursor.js';
import {
  assertTransition,
  type JobEvent,
  type JobEventData,
  type JobEventType,
  type JobRecord,
  type JobState,
} from '../../job-model.js';
import {
  buildJobRow,
  normalizeProgress,
  stateEventData,
  toJobRecord,
  toJsonValue,
  type JobRow,
} from '../job-row.js';
import type {
  CreateJobResult,
  JobEventListener,
  JobFilter,
  JobPage,
  JobStore,
  NewJob,
  PageRequest,
  ProgressUpdate,
  PurgeOptions,
  TransitionPatch,
} from '../job-store.js';
import { toLogLines } from '../log-tail.js';
import { closedError, shutdownClient } from '../../../redis/redis-connection.js';
import { REQUESTER_FIELD, RUNNER_FIELD, idempotencyIndex, indexMember, timeBound } from './redis-keys.js';
import { openRedisLinks, type RedisJobStoreOptions, type RedisJobStoreParts } from './redis-open.js';
import { prepareTransition, writeId } from './redis-patch.js';
import { fromStoredJob, parseStoredEvent, toJobHash } from './redis-rows.js';
import type { JobScriptName } from './redis-scripts.js';
import {
  checkEventType,
  checkPurgeOptions,
  duplicateJob,
  eventLimit,
  notFound,
  stateList,
} from '../store-checks.js';

export type { RedisJobStoreOptions } from './redis-open.js';

/** Jobs one script call expires or purges at most: bounds how long Redis is busy with one call. */
const BATCH = 200;

/**
 * The job history in Redis, shared by several server processes: every write is one Lua script
 * (atomic, ordered across processes) that also publishes its event, and `subscribe` hears the events
 * written by any process. Run Redis with AOF (`appendonly yes`) so the history survives its restart.
 * @example const store = await RedisJobStore.open({ url: 'redis://:secret@redis.internal:6379' });
 */
export class RedisJobStore implements JobStore {
  /** Connect (JOB_STORE_FAILED naming the address when Redis cannot be reached) and start listening for events. */
  static async open(options: RedisJobStoreOptions): Promise<RedisJobStore> {
    const store = new RedisJobStore(await openRedisLinks(options));
    try {
      await store.#migrateIndexes(options.logger);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** `redis://host:port[/db]`: the address without credentials. */
  readonly address: string;
  readonly #p: RedisJobStoreParts;
  #closed = false;
  /**
   * Calls still waiting for Redis, failed at once by close(). One entry per call, removed when it
   * settles: racing every call against one long-lived promise kept each call's reply alive until close.
   */
  readonly #waiting = new Set<(error: Error) => void>();

  private constructor(parts: RedisJobStoreParts) {
    this.#p = parts;
    this.address = parts.display;
  }

  /** The ioredis client of the commands (shared with the caller when it gave one). */
  get client(): Redis {
    return this.#p.commands.client;
  }

  async create(input: NewJob): Promise<CreateJobResult> {
    this.#assertOpen();
    const now = this.#p.options.now();
    const row = buildJobRow(input, now);
    const wid = writeId();
    const index =
      row.idempotency_key === null
        ? ''
        : idempotencyIndex(this.#p.prefix, row.requested_by, row.idempotency_key);
    const hash: Record<string, string> = {
      ...toJobHash(row),
      _m: indexMember(row.created_ms, row.command_id),
      _j: JSON.stringify(row.command_id),
      _w: wid,
    };
    if (index !== '') hash._i = index;
    if (input.runner !== undefined && row.state === 'running') hash[RUNNER_FIELD] = input.runner;
    if (input.requester !== undefined && row.state === 'running') hash[REQUESTER_FIELD] = input.requester;
    const since = timeBound(now - this.#p.options.idempotencyWindowMs);
    const eventData = JSON.stringify(stateEventData(row));
    const handover = input.handover ? [input.handover.to, input.handover.message] : [];
    const [status, , original] = await this.#write(
      'ocjCreate',
      wid,
      JSON.stringify(hash),
      eventData,
      iso(now),
      since,
      index,
      input.minted_id === true ? '1' : '',
      ...handover,
    );
    if (status === 'original') return { job: toJobRecord(fromStoredJob(original)), created: false };
    if (status === 'duplicate') throw duplicateJob(row.command_id);
    row.event_seq = 1;
    return { job: toJobRecord(row), created: true, ...(input.handover ? { handed_over: true } : {}) };
  }

  async get(commandId: string): Promise<JobRecord | undefined> {
    const stored = (await this.#call('ocjGet', commandId)) as unknown[];
    return stored.length === 0 ? undefined : toJobRecord(fromStoredJob(stored));
  }

  async transition(commandId: string, to: JobState, patch: TransitionPatch = {}): Promise<JobRecord> {
    this.#assertOpen();
    const now = this.#p.options.now();
    let prepared: ReturnType<typeof prepareTransition>;
    try {
      prepared = prepareTransition(commandId, to, patch, now, this.#p.options.maxLogLineLength);
    } catch (error) {
      // The other stores check the job and the move before the patch: report what they would.
      await this.#explainRefusal(commandId, to);
      throw error;
    }
    if (!prepared) {
      await this.#explainRefusal(commandId, to);
      throw notFound(commandId);
    }
    const [status, , payload] = await this.#write(
      'ocjTransition',
      writeId(),
      commandId,
      to,
      String(now),
      iso(now),
      prepared.eventData,
      ...prepared.fields,
    );
    if (status === 'missing') throw notFound(commandId);
    if (status === 'conflict') {
      assertTransition(commandId, payload as JobState, to);
      throw notFound(commandId);
    }
    return toJobRecord(fromStoredJob(payload));
  }

  async updateProgress(commandId: string, update: ProgressUpdate): Promise<JobEvent | undefined> {
    this.#assertOpen();
    const checked = normalizeProgress(update, this.#p.options.maxLogLineLength);
    const progress = checked.progress === undefined ? '' : String(checked.progress);
    const message = checked.message === undefined ? '' : JSON.stringify(checked.message);
    const reply = await this.#write(
      'ocjProgress',
      writeId(),
      commandId,
      progress,
      message,
      iso(this.#p.options.now()),
    );
    return this.#eventReply(reply);
  }

  async appendLog(commandId: string, lines: readonly string[]): Promise<JobEvent | undefined> {
    this.#assertOpen();
    const { maxLogLineLength, logTailLines } = this.#p.options;
    const added = toLogLines(lines, maxLogLineLength, logTailLines);
    if (added.length === 0) return undefined;
    const at = iso(this.#p.options.now());
    const reply = await this.#write(
      'ocjLog',
      writeId(),
      commandId,
      at,
      logTailLines,
      JSON.stringify({ lines: added }),
      ...added,
    );
    return this.#eventReply(reply);
  }

  async appendEvent<T extends JobEventType>(
    commandId: string,
    type: T,
    data: JobEventData<T>,
  ): Promise<JobEvent> {
    checkEventType(type);
    this.#assertOpen();
    const json = JSON.stringify(toJsonValue('data', data));
    const reply = await this.#write('ocjEvent', writeId(), commandId, type, json, iso(this.#p.options.now()));
    const event = this.#eventReply(reply);
    if (!event) throw notFound(commandId);
    return event;
  }

  async listEvents(commandId: string, afterSeq = 0, limit?: number): Promise<JobEvent[]> {
    const count = eventLimit(limit, this.#p.options.maxEventsPerJob);
    const after = Number.isFinite(afterSeq) ? Math.floor(afterSeq) : 0;
    const events = (await this.#call('ocjEvents', commandId, after, count)) as unknown[];
    return events.map(parseStoredEvent);
  }

  async list(filter: JobFilter = {}, page: PageRequest = {}): Promise<JobPage> {
    this.#assertOpen();
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const states = stateList(filter.state);
    const eq = (value: string | undefined): string => (value === undefined ? '' : `=${String(value)}`);
    const stored = (await this.#call(
      'ocjList',
      limit + 1,
      after ? indexMember(after.createdMs, after.commandId) : '',
      eq(filter.node_id),
      eq(filter.action),
      eq(filter.batch_id),
      eq(filter.requested_by),
      states?.join(',') ?? '',
    )) as unknown[];
    const rows = stored.map(fromStoredJob);
    return pageOf(rows, limit, toJobRecord);
  }

  async findByIdempotencyKey(
    requester: string | null,
    key: string,
    sinceMs: number,
  ): Promise<JobRecord | undefined> {
    const index = idempotencyIndex(this.#p.prefix, requester, key);
    const stored = (await this.#call('ocjFindByKey', index, timeBound(sinceMs))) as unknown[];
    return stored.length === 0 ? undefined : toJobRecord(fromStoredJob(stored));
  }

  async queuedForNode(nodeId: string): Promise<JobRecord[]> {
    const stored = (await this.#call('ocjWaiting', nodeId, this.#p.options.now())) as unknown[];
    return stored.map((s) => toJobRecord(fromStoredJob(s)));
  }

  async expireQueued(at = this.#p.options.now()): Promise<JobRecord[]> {
    this.#assertOpen();
    const now = Math.floor(at);
    const prepared = prepareTransition('-', 'expired', {}, now, this.#p.options.maxLogLineLength)!;
    const rows: JobRow[] = [];
    for (;;) {
      const [, , due, moved] = await this.#write(
        'ocjExpire',
        writeId(),
        now,
        iso(now),
        BATCH,
        prepared.eventData,
        ...prepared.fields,
      );
      for (const stored of moved as unknown[]) rows.push(fromStoredJob(stored));
      if ((due as number) < BATCH) break;
    }
    return rows.sort((a, b) => -compareNewestFirst(a, b)).map(toJobRecord);
  }

  /**
   * Returns []: in a store shared by several processes, no process can tell which running jobs a dead
   * process left. The cluster layer reaps them by process ownership with `transition(id, 'lost')`.
   */
  async markInterruptedAsLost(): Promise<JobRecord[]> {
    this.#assertOpen();
    return [];
  }

  async purge(options: PurgeOptions): Promise<number> {
    this.#assertOpen();
    checkPurgeOptions(options);
    let removed = 0;
    const drain = async (name: 'ocjPurgeAge' | 'ocjPurgeCount', limit: number | string): Promise<void> => {
      for (;;) {
        const count = (await this.#call(name, limit, BATCH)) as number;
        removed += count;
        if (count < BATCH) return;
      }
    };
    if (options.maxAgeMs !== undefined) {
      await drain('ocjPurgeAge', timeBound(this.#p.options.now() - options.maxAgeMs));
    }
    if (options.maxCount !== undefined) await drain('ocjPurgeCount', options.maxCount);
    return removed;
  }

  subscribe(listener: JobEventListener): () => void {
    return this.#p.hub.subscribe(listener);
  }

  /** Stop listening and quit both connections (only the events connection when the client was given). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { hub, feed, commands, events, owned } = this.#p;
    hub.clear();
    feed.stop();
    for (const reject of this.#waiting) reject(closedError());
    this.#waiting.clear();
    commands.close();
    events.close();
    await Promise.all([shutdownClient(events.client), owned ? shutdownClient(commands.client) : undefined]);
  }

  /** Move the indexes of a store an earlier build wrote (a zset per index) into the index set. */
  async #migrateIndexes(logger: RedisJobStoreOptions['logger']): Promise<void> {
    let moved = 0;
    for (;;) {
      const count = (await this.#call('ocjMigrateIndexes', BATCH)) as number;
      moved += count;
      if (count < BATCH) break;
    }
    if (moved > 0) logger?.info({ jobs: moved }, 'job store: indexes moved into one sorted set');
  }

  /** Run one script once the connection is up; every failure becomes JOB_STORE_FAILED. */
  async #call(name: JobScriptName, ...args: (string | number)[]): Promise<unknown> {
    this.#assertOpen();
    const { commands, scripts, prefix, options, eventBacklog } = this.#p;
    await commands.ready();
    this.#assertOpen();
    let cut: (error: Error) => void = () => undefined;
    const closing = new Promise<never>((_, reject) => (cut = reject));
    this.#waiting.add(cut);
    try {
      return await Promise.race([
        scripts[name](prefix, options.maxEventsPerJob, eventBacklog, ...args),
        closing,
      ]);
    } catch (error) {
      throw this.#closed ? closedError() : commands.failure(error);
    } finally {
      this.#waiting.delete(cut);
    }
  }

  /**
   * Run a write script (`writeId` is its first argument). Resolves once the write's events came back
   * over pub/sub and reached this store's subscribers, in the caller's async context: as with the
   * other stores, subscribers have them when the write resolves, and in commit order with the events
   * of other processes.
   */
  async #write(name: JobScriptName, writeId: string, ...args: (string | number)[]): Promise<unknown[]> {
    const { feed, offlineTimeoutMs } = this.#p;
    const release = feed.own(writeId);
    try {
      const reply = (await this.#call(name, writeId, ...args)) as unknown[];
      const lastEvent = reply[1];
      if (typeof lastEvent === 'string' && lastEvent !== '')
        await feed.delivered(lastEvent, offlineTimeoutMs);
      return reply;
    } finally {
      release();
    }
  }

  /** The event of a progress/log/event script, undefined when the write was ignored. */
  #eventReply([status, , event]: unknown[]): JobEvent | undefined {
    return status === 'ok' || status === 'replay' ? parseStoredEvent(event) : undefined;
  }

  async #explainRefusal(commandId: string, to: JobState): Promise<void> {
    const current = await this.get(commandId);
    if (!current) throw notFound(commandId);
    assertTransition(commandId, current.state, to);
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
