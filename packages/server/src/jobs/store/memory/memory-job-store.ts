import { OpenClawError } from '@openclaw-node/core';
import { compareIds, compareNewestFirst, decodeCursor, pageOf, resolvePageLimit } from '../cursor.js';
import { JobEventHub } from '../job-event-hub.js';
import {
  isTerminal,
  type JobEvent,
  type JobEventData,
  type JobEventType,
  type JobRecord,
  type JobState,
} from '../../job-model.js';
import {
  applyTransition,
  buildJobRow,
  nextEvent,
  normalizeProgress,
  resolveStoreOptions,
  stateEventData,
  toJobRecord,
  toJsonValue,
  type JobRow,
  type ResolvedStoreOptions,
} from '../job-row.js';
import type {
  CreateJobResult,
  JobEventListener,
  JobFilter,
  JobPage,
  JobStore,
  JobStoreOptions,
  NewJob,
  PageRequest,
  ProgressUpdate,
  PurgeOptions,
  TransitionPatch,
} from '../job-store.js';
import {
  stateList,
  notFound,
  duplicateJob,
  checkPurgeOptions,
  checkEventType,
  eventLimit,
} from '../store-checks.js';
import { appendToTail, toLogLines } from '../log-tail.js';
import { copyJson } from '../../copy-json.js';
import { elapsedSeconds, writeStart, type StoreWriteObserver } from '../write-timing.js';

/** `--store memory`: the same behaviour as the SQLite store, gone when the process exits. */
export class MemoryJobStore implements JobStore {
  readonly #o: ResolvedStoreOptions;
  readonly #jobs = new Map<string, JobRow>();
  /** Command ids of queued jobs by node: queuedForNode runs after every job and must not scan the history. */
  readonly #queued = new Map<string, Set<string>>();
  readonly #events = new Map<string, JobEvent[]>();
  readonly #hub = new JobEventHub();
  #closed = false;
  #observer: StoreWriteObserver | undefined;

  constructor(options: JobStoreOptions = {}) {
    this.#o = resolveStoreOptions(options);
  }

  // The writes: each timed when observed (the work is synchronous: it is done when the call returns).
  async create(input: NewJob): Promise<CreateJobResult> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#create(input);
    } finally {
      this.#observer?.('create', elapsedSeconds(start));
    }
  }

  async transition(commandId: string, to: JobState, patch?: TransitionPatch): Promise<JobRecord> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#transition(commandId, to, patch);
    } finally {
      this.#observer?.('transition', elapsedSeconds(start));
    }
  }

  async updateProgress(commandId: string, update: ProgressUpdate): Promise<JobEvent | undefined> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#updateProgress(commandId, update);
    } finally {
      this.#observer?.('updateProgress', elapsedSeconds(start));
    }
  }

  async appendLog(commandId: string, lines: readonly string[]): Promise<JobEvent | undefined> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#appendLog(commandId, lines);
    } finally {
      this.#observer?.('appendLog', elapsedSeconds(start));
    }
  }

  async appendEvent<T extends JobEventType>(
    commandId: string,
    type: T,
    data: JobEventData<T>,
  ): Promise<JobEvent> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#appendEvent(commandId, type, data);
    } finally {
      this.#observer?.('appendEvent', elapsedSeconds(start));
    }
  }

  async expireQueued(now?: number): Promise<JobRecord[]> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#expireQueued(now);
    } finally {
      this.#observer?.('expireQueued', elapsedSeconds(start));
    }
  }

  async markInterruptedAsLost(): Promise<JobRecord[]> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#markInterruptedAsLost();
    } finally {
      this.#observer?.('markInterruptedAsLost', elapsedSeconds(start));
    }
  }

  async purge(options: PurgeOptions): Promise<number> {
    const start = this.#observer ? writeStart() : 0;
    try {
      return this.#purge(options);
    } finally {
      this.#observer?.('purge', elapsedSeconds(start));
    }
  }

  #create(input: NewJob): CreateJobResult {
    this.#assertOpen();
    const now = this.#o.now();
    const row = buildJobRow(input, now);
    if (row.idempotency_key !== null) {
      const original = this.#findByKey(
        row.requested_by,
        row.idempotency_key,
        now - this.#o.idempotencyWindowMs,
        row.batch_id,
      );
      if (original) return { job: this.#record(original), created: false };
    }
    if (this.#jobs.has(row.command_id)) throw duplicateJob(row.command_id);
    const event = nextEvent(row, 'state', stateEventData(row), now);
    this.#put(row);
    this.#events.set(row.command_id, []);
    this.#commit([event]);
    return { job: this.#record(row), created: true };
  }

  async get(commandId: string): Promise<JobRecord | undefined> {
    this.#assertOpen();
    const row = this.#jobs.get(commandId);
    return row && this.#record(row);
  }

  #transition(commandId: string, to: JobState, patch: TransitionPatch = {}): JobRecord {
    this.#assertOpen();
    const row = this.#jobs.get(commandId);
    if (!row) throw notFound(commandId);
    const now = this.#o.now();
    const next = applyTransition(row, to, patch, now, this.#o.maxLogLineLength);
    const event = nextEvent(next, 'state', stateEventData(next), now);
    this.#put(next);
    this.#commit([event]);
    return this.#record(next);
  }

  #updateProgress(commandId: string, update: ProgressUpdate): JobEvent | undefined {
    this.#assertOpen();
    const checked = normalizeProgress(update, this.#o.maxLogLineLength);
    const row = this.#jobs.get(commandId);
    if (!row || row.state !== 'running') return undefined;
    if (checked.progress !== undefined) row.progress = checked.progress;
    if (checked.message !== undefined) row.message = checked.message;
    const event = nextEvent(row, 'progress', { progress: row.progress, message: row.message }, this.#o.now());
    this.#commit([event]);
    return copyJson(event);
  }

  #appendLog(commandId: string, lines: readonly string[]): JobEvent | undefined {
    this.#assertOpen();
    const row = this.#jobs.get(commandId);
    if (!row || isTerminal(row.state)) return undefined;
    const added = toLogLines(lines, this.#o.maxLogLineLength, this.#o.logTailLines);
    if (added.length === 0) return undefined;
    row.log_tail = appendToTail(row.log_tail, added, this.#o.logTailLines);
    const event = nextEvent(row, 'log', { lines: added }, this.#o.now());
    this.#commit([event]);
    return copyJson(event);
  }

  #appendEvent<T extends JobEventType>(commandId: string, type: T, data: JobEventData<T>): JobEvent {
    checkEventType(type);
    this.#assertOpen();
    const row = this.#jobs.get(commandId);
    if (!row) throw notFound(commandId);
    const event = nextEvent(row, type, toJsonValue('data', data) as JobEventData<T>, this.#o.now());
    this.#commit([event]);
    return copyJson(event);
  }

  async listEvents(commandId: string, afterSeq = 0, limit?: number): Promise<JobEvent[]> {
    const count = eventLimit(limit, this.#o.maxEventsPerJob);
    this.#assertOpen();
    const events = this.#events.get(commandId) ?? [];
    return copyJson(events.filter((e) => e.seq > afterSeq).slice(0, count));
  }

  async list(filter: JobFilter = {}, page: PageRequest = {}): Promise<JobPage> {
    this.#assertOpen();
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const states = stateList(filter.state);
    const rows = [...this.#jobs.values()]
      .filter(
        (row) =>
          (filter.node_id === undefined || row.node_id === filter.node_id) &&
          (states === undefined || states.includes(row.state)) &&
          (filter.action === undefined || row.action === filter.action) &&
          (filter.batch_id === undefined || row.batch_id === filter.batch_id) &&
          (filter.requested_by === undefined || row.requested_by === filter.requested_by) &&
          (after === undefined ||
            compareNewestFirst({ created_ms: after.createdMs, command_id: after.commandId }, row) < 0),
      )
      .sort(compareNewestFirst);
    return pageOf(rows, limit, (row) => this.#record(row));
  }

  async findByIdempotencyKey(
    requester: string | null,
    key: string,
    sinceMs: number,
  ): Promise<JobRecord | undefined> {
    this.#assertOpen();
    const row = this.#findByKey(requester, key, sinceMs);
    return row && this.#record(row);
  }

  async queuedForNode(nodeId: string): Promise<JobRecord[]> {
    this.#assertOpen();
    const now = this.#o.now();
    return [...(this.#queued.get(nodeId) ?? [])]
      .map((id) => this.#jobs.get(id))
      .filter(
        (row): row is JobRow =>
          row?.node_id === nodeId &&
          row.state === 'queued' &&
          row.expires_ms !== null &&
          row.expires_ms > now,
      )
      .sort((a, b) => a.created_ms - b.created_ms || compareIds(a.command_id, b.command_id))
      .map((row) => this.#record(row));
  }

  #expireQueued(now = this.#o.now()): JobRecord[] {
    this.#assertOpen();
    return this.#moveAll(
      (row) => row.state === 'queued' && row.expires_ms !== null && row.expires_ms <= now,
      'expired',
    );
  }

  #markInterruptedAsLost(): JobRecord[] {
    this.#assertOpen();
    return this.#moveAll(
      (row) => row.state === 'running' || (row.state === 'queued' && row.expires_ms === null),
      'lost',
    );
  }

  #purge(options: PurgeOptions): number {
    this.#assertOpen();
    checkPurgeOptions(options);
    const now = this.#o.now();
    let removed = 0;
    const remove = (row: JobRow): void => {
      this.#jobs.delete(row.command_id);
      this.#queued.get(row.node_id)?.delete(row.command_id);
      this.#events.delete(row.command_id);
      removed++;
    };
    if (options.maxAgeMs !== undefined) {
      const before = now - options.maxAgeMs;
      for (const row of [...this.#jobs.values()]) {
        if (row.finished_ms !== null && row.finished_ms < before) remove(row);
      }
    }
    if (options.maxCount !== undefined && this.#jobs.size > options.maxCount) {
      const excess = this.#jobs.size - options.maxCount;
      [...this.#jobs.values()]
        .filter((row) => isTerminal(row.state))
        .sort((a, b) => -compareNewestFirst(a, b))
        .slice(0, excess)
        .forEach(remove);
    }
    return removed;
  }

  subscribe(listener: JobEventListener): () => void {
    return this.#hub.subscribe(listener);
  }

  observeWrites(observer: StoreWriteObserver | undefined): void {
    this.#observer = observer;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#hub.clear();
  }

  /** Store a row and keep the queued index in step with its state. */
  #put(row: JobRow): void {
    this.#jobs.set(row.command_id, row);
    const queued = this.#queued.get(row.node_id);
    if (row.state === 'queued') {
      if (queued) queued.add(row.command_id);
      else this.#queued.set(row.node_id, new Set([row.command_id]));
    } else if (queued?.delete(row.command_id) && queued.size === 0) {
      this.#queued.delete(row.node_id);
    }
  }

  #moveAll(match: (row: JobRow) => boolean, to: 'expired' | 'lost'): JobRecord[] {
    const now = this.#o.now();
    const moved: JobRow[] = [];
    const events: JobEvent[] = [];
    const rows = [...this.#jobs.values()].filter(match).sort((a, b) => -compareNewestFirst(a, b));
    for (const row of rows) {
      const next = applyTransition(row, to, {}, now, this.#o.maxLogLineLength);
      events.push(nextEvent(next, 'state', stateEventData(next), now));
      this.#put(next);
      moved.push(next);
    }
    this.#commit(events);
    return moved.map((row) => this.#record(row));
  }

  #findByKey(
    requester: string | null,
    key: string,
    sinceMs: number,
    exceptBatch: string | null = null,
  ): JobRow | undefined {
    let best: JobRow | undefined;
    for (const row of this.#jobs.values()) {
      if (row.idempotency_key !== key || row.requested_by !== requester || row.created_ms < sinceMs) continue;
      if (exceptBatch !== null && row.batch_id === exceptBatch) continue;
      if (!best || compareNewestFirst(row, best) < 0) best = row;
    }
    return best;
  }

  #commit(events: JobEvent[]): void {
    for (const event of events) {
      const list = this.#events.get(event.job_id) ?? [];
      list.push(event);
      if (list.length > this.#o.maxEventsPerJob) list.splice(0, list.length - this.#o.maxEventsPerJob);
      this.#events.set(event.job_id, list);
    }
    this.#hub.emit(copyJson(events));
  }

  /** A record of its own: its JSON values copied (the record itself is made fresh). */
  #record(row: JobRow): JobRecord {
    const record = toJobRecord(row);
    record.params = copyJson(record.params);
    record.result = copyJson(record.result);
    record.error = copyJson(record.error);
    record.log_tail = [...record.log_tail];
    return record;
  }

  #assertOpen(): void {
    if (this.#closed) throw new OpenClawError('JOB_STORE_FAILED', 'The job store is closed');
  }
}
