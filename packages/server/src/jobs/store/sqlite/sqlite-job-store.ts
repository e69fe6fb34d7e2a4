import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import { decodeCursor, pageOf, resolvePageLimit } from '../cursor.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { JobEventHub } from '../job-event-hub.js';
import {
  dropsParams,
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
import { appendToTail, toLogLines } from '../log-tail.js';
import { loadSqliteDriver, type SqliteDriver } from './sqlite-driver.js';
import { migrate } from './sqlite-schema.js';
import { elapsedSeconds, writeStart, type StoreWriteObserver, type StoreWriteOp } from '../write-timing.js';
import {
  prepareJobStatements,
  prepareTransactionStatements,
  type JobStatements,
  type TransactionStatements,
} from './sqlite-statements.js';
import { deferredCreates, MAX_DEFERRED_ATTEMPTS, type DeferredCreate } from './deferred-creates.js';
import { ENDED_JOURNAL_SUFFIX, EndedJournal, readEndedJournal } from './ended-journal.js';
import { writeRecoveredEnds, type RecoveredEnds } from './ended-recovery.js';
import { journaledEnds, MAX_JOURNALED_ENDS, type JournaledEnd } from './journaled-ends.js';
import {
  startWalCheckpointer,
  type WalCheckpointer,
  type WalCheckpointerOptions,
} from './wal-checkpointer.js';
import {
  checkPurgeOptions,
  duplicateJob,
  isDuplicateJob,
  notFound,
  stateList,
  checkEventType,
  eventLimit,
} from '../store-checks.js';
import {
  buildListQuery,
  fromDbEvent,
  impliedStateEvents,
  fromDbRow,
  isPrimaryKeyViolation,
  insertRecord,
  insertValues,
  updateValues,
  type DbRow,
} from './sqlite-rows.js';

/**
 * One transaction's writes: resolved (and their events emitted) after its COMMIT, which comes at the
 * end of the turn of its first write that someone waits for (setImmediate), or CREATE_COMMIT_DELAY_MS
 * after it opened when it holds only creates of jobs whose callers wait for their end (resolved early).
 */
interface Batch {
  /** Set once the COMMIT is due at the end of this turn. */
  soon: boolean;
  timer: NodeJS.Timeout | undefined;
  entries: {
    events: JobEvent[];
    resolve: () => void;
    reject: (error: unknown) => void;
    op: StoreWriteOp;
    start: number;
    /** A deferred create written in this batch: deferred again if the COMMIT fails. */
    deferred?: DeferredCreate;
    /** A journaled end written in this batch: journaled again if the COMMIT fails. */
    journaled?: JournaledEnd;
  }[];
}

const noop = (): void => {};

/**
 * How long the create of a job whose caller waits for its end (NewJob.awaits_end) may stay uncommitted
 * for its end to share its COMMIT: the window in which a process crash loses such a job's record.
 */
export const CREATE_COMMIT_DELAY_MS = 10;

/** Rows of running jobs remembered at most (see SqliteJobStore's #running); beyond, they are read. */
const MAX_REMEMBERED_ROWS = 10_000;

/** The history file inside the data directory. */
export const JOBS_FILE_NAME = 'jobs.sqlite';

/** Options of the SQLite store. */
export interface SqliteJobStoreOptions extends JobStoreOptions {
  /** Directory of `jobs.sqlite`; created with mode 0700 when missing. */
  dataDir: string;
  /** The better-sqlite3 constructor (from loadSqliteDriver); `SqliteJobStore.open` loads it. */
  driver: SqliteDriver;
  /**
   * At open, jobs a previous process left `running` (and `queued` jobs without expires_at, which were
   * about to be sent by a request that is gone) become `lost`, and the store takes the data directory's
   * lock (`server.lock`) so that no second server does so while this one runs (DATA_DIR_LOCKED).
   * Default true; turn it off only when another live process owns the file: then no lock is taken.
   */
  markLostOnOpen?: boolean;
  /** Told when the lock of a server that died without releasing it is taken over. Default: stderr. */
  logger?: Pick<Logger, 'warn'>;
  /**
   * Run the WAL checkpoints in a worker thread (WalCheckpointer), started at the first COMMIT; default
   * true for the store that owns the file (markLostOnOpen), false otherwise. Without it SQLite
   * checkpoints inside the COMMITs, as it does by default. An object tunes the thread (tests).
   */
  checkpointThread?: boolean | Pick<WalCheckpointerOptions, 'minIntervalMs' | 'rewindPages'>;
}

/**
 * The default job history: one SQLite file (WAL) in the server's data directory, surviving restarts.
 * @example const store = await SqliteJobStore.open({ dataDir: '/var/lib/openclaw' });
 */
export class SqliteJobStore implements JobStore {
  /** Load better-sqlite3 (JOB_STORE_FAILED with the fix when it is missing) and open the store. */
  static async open(
    options: Omit<SqliteJobStoreOptions, 'driver'> & { driver?: SqliteDriver },
  ): Promise<SqliteJobStore> {
    const driver = options.driver ?? (await loadSqliteDriver());
    return new SqliteJobStore({ ...options, driver });
  }

  /** Absolute path of the database file. */
  readonly file: string;
  /** Jobs that were marked lost when this store opened. */
  readonly lostAtOpen: readonly JobRecord[];
  /** What the ended journal a crash left (see EndedJournal) held, written into the file at open. */
  readonly recoveredAtOpen: RecoveredEnds;
  /** The data directory's lock, held until close; none with `markLostOnOpen: false`. */
  readonly lock: DataDirLock | undefined;
  readonly #o: ResolvedStoreOptions;
  readonly #db: Database;
  readonly #hub = new JobEventHub();
  readonly #listStatements = new Map<string, Statement<unknown[], DbRow>>();
  readonly #sql: JobStatements;
  readonly #tx: TransactionStatements;
  /** The transaction of this event-loop turn's writes, committed by setImmediate. */
  #batch: Batch | undefined;
  /**
   * The rows of running jobs as this store last wrote them, so that a job's end needs no SELECT and
   * no decoding: forgotten when the job ends or another write changes the row; all of them when a
   * COMMIT fails or another process committed to the file (PRAGMA data_version, read once per batch).
   */
  readonly #running = new Map<string, JobRow>();
  #dataVersion = -1;
  /** Creates not written yet (see #defer). */
  readonly #deferred = deferredCreates(CREATE_COMMIT_DELAY_MS, () => this.#writeDue());
  /** The journal of short jobs' ends (owner only), and the ends in it not written to the file yet. */
  readonly #journal: EndedJournal | undefined;
  readonly #ends = journaledEnds(CREATE_COMMIT_DELAY_MS, () => this.#writeEndsDue());
  #journalWarned = false;
  /** The last COMMIT that held journaled ends failed (told once per run of failures). */
  #endsFailing = false;
  #observer: StoreWriteObserver | undefined;
  /** Whether a checkpoint thread is wanted, and the thread once the first COMMIT started it. */
  #wantsCheckpointer: boolean;
  readonly #checkpointTuning: Pick<WalCheckpointerOptions, 'minIntervalMs' | 'rewindPages'>;
  #checkpointer: WalCheckpointer | undefined;
  readonly #logger: Pick<Logger, 'warn'> | undefined;
  #closed = false;

  constructor(options: SqliteJobStoreOptions) {
    this.#o = resolveStoreOptions(options);
    if (typeof options.dataDir !== 'string' || options.dataDir === '') {
      throw new OpenClawError('CONFIG_INVALID', 'dataDir must name the directory for the job history', {
        details: { field: 'dataDir' },
      });
    }
    this.file = path.resolve(options.dataDir, JOBS_FILE_NAME);
    const owner = options.markLostOnOpen !== false;
    const logger = options.logger;
    this.#logger = logger;
    const thread = options.checkpointThread ?? owner;
    this.#wantsCheckpointer = thread !== false;
    this.#checkpointTuning = typeof thread === 'object' ? thread : {};
    this.lock = owner
      ? lockDataDir(
          options.dataDir,
          logger ? { onWarning: (message) => logger.warn({ data_dir: options.dataDir }, message) } : {},
        )
      : undefined;
    try {
      this.#db = openDatabase(options.driver, path.resolve(options.dataDir), this.file);
    } catch (error) {
      this.lock?.release();
      throw error;
    }
    try {
      this.#sql = prepareJobStatements(this.#db);
      this.#tx = prepareTransactionStatements(this.#db);
      const journal = owner ? this.#openJournal() : undefined;
      this.#journal = journal?.journal;
      this.recoveredAtOpen = journal?.recovered ?? { written: 0, present: 0, refused: 0 };
      this.lostAtOpen = owner ? this.#moveAll(this.#sql.interrupted, [], 'lost') : [];
    } catch (error) {
      this.#journal?.close();
      this.#db.close();
      this.lock?.release();
      throw error;
    }
  }

  async create(input: NewJob): Promise<CreateJobResult> {
    const now = this.#o.now();
    const row = buildJobRow(input, now);
    const early = input.awaits_end === true && row.state === 'running';
    if (early && row.idempotency_key === null && row.batch_id === null) {
      return this.#defer(row, now, input.minted_id === true);
    }
    if (this.#deferred.has(row.command_id) || this.#ends.has(row.command_id)) {
      this.#observer?.('create', 0);
      throw duplicateJob(row.command_id);
    }
    return this.#write<CreateJobResult>('create', early, () => {
      if (row.idempotency_key !== null) {
        const since = now - this.#o.idempotencyWindowMs;
        const original =
          row.batch_id === null
            ? this.#sql.byKey.get(row.idempotency_key, row.requested_by, since)
            : this.#sql.byKeyOutsideBatch.get(row.idempotency_key, row.requested_by, since, row.batch_id);
        if (original) return { value: { job: toJobRecord(fromDbRow(original)), created: false }, events: [] };
      }
      const event = nextEvent(row, 'state', stateEventData(row), now);
      this.#insertRow(row);
      this.#insertEvent(event);
      this.#remember(row);
      return { value: { job: toJobRecord(row), created: true }, events: [event] };
    });
  }

  async get(commandId: string): Promise<JobRecord | undefined> {
    const row = this.#read(() => this.#sql.get.get(commandId));
    return row && toJobRecord(fromDbRow(row));
  }

  async transition(commandId: string, to: JobState, patch: TransitionPatch = {}): Promise<JobRecord> {
    const created = this.#deferred.get(commandId);
    if (created === undefined) this.#materializeEnd(commandId);
    else if (this.#journal !== undefined && isTerminal(to)) {
      const ended = this.#journalEnd(created, to, patch);
      if (ended !== undefined) return ended;
    }
    return this.#write('transition', false, () => {
      const deferred = this.#deferred.get(commandId);
      const current = deferred?.row ?? this.#running.get(commandId) ?? this.#stored(commandId);
      const now = this.#o.now();
      const next = applyTransition(current, to, patch, now, this.#o.maxLogLineLength);
      const event = nextEvent(next, 'state', stateEventData(next), now);
      if (deferred) {
        // Created and changed in one INSERT: the row is written once, with the state it has now. Ended
        // with no event in between, its two state events are implied by it (impliedStateEvents).
        const implied = isTerminal(next.state) && next.event_seq === 2 && this.#o.maxEventsPerJob >= 2;
        this.#insertRow(next, implied);
        if (!implied) {
          this.#insertEvent(deferred.event);
          this.#insertEvent(event);
        }
      } else {
        this.#update(current.state, next);
        this.#insertEvent(event);
      }
      if (deferred) {
        this.#deferred.delete(commandId);
        this.#batch!.entries.push(this.#createdEntry(deferred));
      }
      this.#remember(next);
      return { value: toJobRecord(next), events: [event] };
    });
  }

  async updateProgress(commandId: string, update: ProgressUpdate): Promise<JobEvent | undefined> {
    const checked = normalizeProgress(update, this.#o.maxLogLineLength);
    this.#materialize(commandId);
    return this.#write('updateProgress', false, () => {
      this.#running.delete(commandId);
      const stored = this.#sql.get.get(commandId);
      if (!stored || stored.state !== 'running') return { value: undefined, events: [] };
      const row = fromDbRow(stored);
      if (checked.progress !== undefined) row.progress = checked.progress;
      if (checked.message !== undefined) row.message = checked.message;
      const event = nextEvent(
        row,
        'progress',
        { progress: row.progress, message: row.message },
        this.#o.now(),
      );
      this.#sql.update.run(updateValues(row));
      this.#insertEvent(event);
      return { value: event, events: [event] };
    });
  }

  async appendLog(commandId: string, lines: readonly string[]): Promise<JobEvent | undefined> {
    const added = toLogLines(lines, this.#o.maxLogLineLength, this.#o.logTailLines);
    if (added.length === 0) return undefined;
    this.#materialize(commandId);
    return this.#write('appendLog', false, () => {
      this.#running.delete(commandId);
      const stored = this.#sql.get.get(commandId);
      if (!stored || isTerminal(stored.state)) return { value: undefined, events: [] };
      const row = fromDbRow(stored);
      row.log_tail = appendToTail(row.log_tail, added, this.#o.logTailLines);
      const event = nextEvent(row, 'log', { lines: added }, this.#o.now());
      this.#sql.update.run(updateValues(row));
      this.#insertEvent(event);
      return { value: event, events: [event] };
    });
  }

  async appendEvent<T extends JobEventType>(
    commandId: string,
    type: T,
    data: JobEventData<T>,
  ): Promise<JobEvent> {
    checkEventType(type);
    const json = toJsonValue('data', data) as JobEventData<T>;
    this.#materialize(commandId);
    return this.#write('appendEvent', false, () => {
      this.#running.delete(commandId);
      const stored = this.#sql.get.get(commandId);
      if (!stored) throw notFound(commandId);
      // Stored from now on, so that keeping the last maxEventsPerJob trims them like any other.
      if (stored.implied_events === 1) this.#storeImpliedEvents(stored);
      const row = fromDbRow(stored);
      const event = nextEvent(row, type, json, this.#o.now());
      this.#sql.update.run(updateValues(row));
      this.#insertEvent(event);
      return { value: event, events: [event] };
    });
  }

  async listEvents(commandId: string, afterSeq = 0, limit?: number): Promise<JobEvent[]> {
    const count = eventLimit(limit, this.#o.maxEventsPerJob);
    if (!(afterSeq < 2)) {
      return this.#read(() => this.#sql.events.all(commandId, afterSeq, count).map(fromDbEvent));
    }
    // Implied events are seqs 1 and 2, and a job has them only until a later one is added (then all
    // are stored): both reads in one transaction, so that such a write cannot fall between them.
    return this.#read(() =>
      this.#db.transaction(() => {
        const implied = this.#sql.impliedEvents.get(commandId);
        const stored = this.#sql.events.all(commandId, afterSeq, count).map(fromDbEvent);
        if (!implied) return stored;
        return [...impliedStateEvents(implied).filter((e) => e.seq > afterSeq), ...stored].slice(0, count);
      })(),
    );
  }

  async list(filter: JobFilter = {}, page: PageRequest = {}): Promise<JobPage> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const { sql, params } = buildListQuery({ ...filter, state: stateList(filter.state) }, after, limit + 1);
    let statement = this.#listStatements.get(sql);
    if (!statement) {
      statement = this.#read(() => this.#db.prepare<unknown[], DbRow>(sql));
      this.#listStatements.set(sql, statement);
    }
    const rows = this.#read(() => statement.all(...params)).map(fromDbRow);
    return pageOf(rows, limit, toJobRecord);
  }

  async findByIdempotencyKey(
    requester: string | null,
    key: string,
    sinceMs: number,
  ): Promise<JobRecord | undefined> {
    const row = this.#read(() => this.#sql.byKey.get(key, requester, sinceMs));
    return row && toJobRecord(fromDbRow(row));
  }

  async queuedForNode(nodeId: string): Promise<JobRecord[]> {
    const now = this.#o.now();
    return this.#read(() => this.#sql.queuedForNode.all(nodeId, now)).map((r) => toJobRecord(fromDbRow(r)));
  }

  async expireQueued(now = this.#o.now()): Promise<JobRecord[]> {
    return this.#moveAll(this.#sql.due, [now], 'expired');
  }

  async markInterruptedAsLost(): Promise<JobRecord[]> {
    return this.#moveAll(this.#sql.interrupted, [], 'lost');
  }

  async purge(options: PurgeOptions): Promise<number> {
    checkPurgeOptions(options);
    // Counted by their rows: the jobs not written yet count too.
    this.#writeDeferred(true);
    this.#writeEnds();
    return this.#write('purge', false, () => {
      let removed = 0;
      if (options.maxAgeMs !== undefined) {
        removed += this.#sql.purgeFinishedBefore.run({ before: this.#o.now() - options.maxAgeMs }).changes;
      }
      if (options.maxCount !== undefined) {
        const excess = this.#sql.count.get()!.n - options.maxCount;
        if (excess > 0) removed += this.#sql.purgeOldest.run(excess).changes;
      }
      return { value: removed, events: [] };
    });
  }

  subscribe(listener: JobEventListener): () => void {
    return this.#hub.subscribe(listener);
  }

  /** Each write's time from the call to its COMMIT (the group commit at the end of its turn). */
  observeWrites(observer: StoreWriteObserver | undefined): void {
    this.#observer = observer;
  }

  /** The checkpoint thread, once started (tests look at it). */
  get checkpointer(): WalCheckpointer | undefined {
    return this.#checkpointer;
  }

  async close(): Promise<void> {
    this.#wantsCheckpointer = false;
    try {
      if (this.#db.open && !this.#closed) {
        this.#writeDeferred(true);
        this.#writeEnds();
      }
      if (this.#batch && this.#db.open) this.#commitBatch(this.#batch);
    } finally {
      // Writes called from now on fail (JOB_STORE_FAILED, closed) rather than open a batch nobody commits.
      this.#closed = true;
      // A create a failed last COMMIT deferred again is lost with the process, as at a crash.
      this.#deferred.clear();
      // An end the last COMMIT did not take stays in the journal: the next open writes it.
      this.#ends.clear();
      this.#hub.clear();
      try {
        // The thread's connection closes first: the last one to close checkpoints and removes the WAL.
        await this.#checkpointer?.close();
      } finally {
        try {
          this.#journal?.close();
        } finally {
          if (this.#db.open) this.#db.close();
          this.lock?.release();
        }
      }
    }
  }

  /**
   * The create of a job whose caller waits for its end (NewJob.awaits_end, no Idempotency-Key, no
   * batch): resolved at once and written nowhere yet, so that a short job is written as one row with
   * its end (#materialize writes it first when another write comes) — or on its own
   * CREATE_COMMIT_DELAY_MS later, or before the next read. A process crash in that window loses it.
   */
  #defer(row: JobRow, now: number, minted: boolean): Promise<CreateJobResult> {
    if (this.#closed) return Promise.reject(closedStore());
    const start = this.#observer ? writeStart() : 0;
    const id = row.command_id;
    // The primary key checks the other creates; this one is not in the file yet. A minted id
    // (NewJob.minted_id) cannot be there: its INSERT's primary key is the check.
    const stored = !minted && this.#guard(() => this.#sql.exists.get(id)) !== undefined;
    if (this.#deferred.has(id) || this.#ends.has(id) || stored) {
      this.#observer?.('create', elapsedSeconds(start));
      return Promise.reject(duplicateJob(id));
    }
    const event = nextEvent(row, 'state', stateEventData(row), now);
    // Kept apart from the record returned: a caller changing that cannot reach the row written later.
    const kept = { ...row, params: structuredClone(row.params), log_tail: [...row.log_tail] };
    this.#deferred.add({ row: kept, event, due: 0, start, attempts: 0 });
    return Promise.resolve({ job: toJobRecord(row), created: true });
  }

  /**
   * Write the deferred creates that are due (all with `all`) in this turn's batch. One the file
   * refuses stays deferred (see #materialize) and takes nothing else down: the read, purge or close
   * that asked goes on.
   */
  #writeDeferred(all: boolean): void {
    if (this.#deferred.size === 0) return;
    for (const id of this.#deferred.due(all)) {
      try {
        this.#materialize(id);
      } catch {
        // #materialize kept it for another try, or dropped it with a warning.
      }
    }
  }

  #writeDue(): void {
    if (!this.#closed) this.#writeDeferred(false);
  }

  /**
   * Write a deferred create now, in its own savepoint of this turn's batch (its event goes out with the
   * batch's COMMIT): before another write to the job reads its row, or once due. A row the file refuses
   * stays deferred for another try, and is dropped with a warning after MAX_DEFERRED_ATTEMPTS or when
   * another process stored a job with its id first (its caller was answered; its end finds no row).
   */
  #materialize(commandId: string): void {
    const deferred = this.#deferred.get(commandId);
    if (!deferred) {
      this.#materializeEnd(commandId);
      return;
    }
    const batch = this.#openBatch(true);
    this.#deferred.delete(commandId);
    try {
      this.#guard(() =>
        this.#inSavepoint(() => {
          this.#insertRow(deferred.row);
          this.#insertEvent(deferred.event);
        }),
      );
    } catch (error) {
      this.#refused(deferred, error);
      throw error;
    }
    batch.entries.push(this.#createdEntry(deferred));
    this.#remember(deferred.row);
  }

  /** A deferred create the file did not take: once more later, or dropped with a warning. */
  #refused(deferred: DeferredCreate, error: unknown): void {
    const id = deferred.row.command_id;
    deferred.attempts += 1;
    const taken = isDuplicateJob(error);
    if (!taken && deferred.attempts < MAX_DEFERRED_ATTEMPTS && !this.#closed) {
      this.#deferred.add(deferred);
      return;
    }
    this.#observer?.('create', deferred.start === 0 ? 0 : elapsedSeconds(deferred.start));
    this.#logger?.warn(
      { file: this.file, command_id: id, err: error },
      taken
        ? 'another process stored a job with this id first: the creation of this job is not recorded'
        : 'could not record the creation of a job',
    );
  }

  /** The batch entry of a deferred create once written: its event goes out, its time is observed. */
  #createdEntry(deferred: DeferredCreate): Batch['entries'][number] {
    return {
      events: [deferred.event],
      resolve: noop,
      reject: noop,
      op: 'create',
      start: deferred.start,
      deferred,
    };
  }

  /**
   * Open the ended journal (EndedJournal) of the file this store owns, after writing into the file what
   * one a crash left holds.
   */
  #openJournal(): { journal: EndedJournal; recovered: RecoveredEnds } {
    const file = this.file + ENDED_JOURNAL_SUFFIX;
    return this.#guard(() => {
      const left = readEndedJournal(file);
      const recovered = writeRecoveredEnds(this.#db, left.records);
      recovered.refused += left.unreadable;
      if (recovered.refused > 0) {
        this.#logger?.warn(
          { file, refused: recovered.refused, written: recovered.written },
          'some lines of the ended journal a crash left could not be written to the job history',
        );
      }
      const journal = new EndedJournal(file);
      try {
        journal.reset();
      } catch (error) {
        journal.close();
        throw error;
      }
      return { journal, recovered };
    });
  }

  /**
   * The end of a short job (its create deferred, no event since): appended to the journal with one
   * write(), its row written to the file with the next batch of them (#writeEnds, within
   * CREATE_COMMIT_DELAY_MS, or before the next read), so that its caller is answered without waiting
   * for a COMMIT. Undefined when it takes the path of any other write instead.
   */
  #journalEnd(deferred: DeferredCreate, to: JobState, patch: TransitionPatch): JobRecord | undefined {
    if (this.#closed || this.#o.maxEventsPerJob < 2) return undefined;
    const start = this.#observer ? writeStart() : 0;
    const now = this.#o.now();
    const next = applyTransition(deferred.row, to, patch, now, this.#o.maxLogLineLength);
    const event = nextEvent(next, 'state', stateEventData(next), now);
    if (next.event_seq !== 2) return undefined;
    const commandId = next.command_id;
    const values = insertValues(next, true);
    try {
      this.#journal!.append(insertRecord(values));
    } catch (error) {
      if (!this.#journalWarned) {
        this.#journalWarned = true;
        this.#logger?.warn(
          { file: this.#journal!.file, err: error },
          'cannot append to the ended journal: the ends of jobs are committed to the history before their answer',
        );
      }
      return undefined;
    }
    this.#journalWarned = false;
    this.#deferred.delete(commandId);
    // Many waiting: written now, unless COMMITs fail (then the timer tries again, not every end).
    this.#ends.add({ commandId, values, attempts: 0, due: 0 });
    if (this.#ends.size >= MAX_JOURNALED_ENDS && !this.#endsFailing) this.#writeEndsDue();
    const observer = this.#observer;
    if (observer) {
      if (deferred.start !== 0) observer('create', elapsedSeconds(deferred.start));
      observer('transition', elapsedSeconds(start));
    }
    this.#hub.emit([deferred.event, event]);
    return toJobRecord(next);
  }

  /**
   * Write every journaled end into this turn's batch (#writeEndsInto); one the file refuses is kept for
   * another try (#endRefused). Never throws: a batch that cannot begin leaves them for later.
   */
  #writeEnds(): void {
    if (this.#ends.size === 0 || this.#closed) return;
    let batch: Batch;
    try {
      batch = this.#openBatch(true);
    } catch {
      // Tried again a whole delay later, not as soon as the timer can.
      for (const end of this.#ends.takeAll()) this.#ends.add(end);
      return;
    }
    this.#writeEndsInto(batch);
  }

  /** #writeEnds into the batch about to be committed. */
  #writeEndsInto(batch: Batch): void {
    if (this.#ends.size === 0) return;
    const ends = this.#ends.takeAll();
    // All in one savepoint; only when the file refuses one, each in its own, so that it undoes only itself.
    if (ends.length > 1 && this.#insertAll(ends)) {
      for (const end of ends) batch.entries.push(this.#writtenEnd(end));
      return;
    }
    for (const end of ends) {
      try {
        this.#insertEnd(batch, end);
      } catch {
        // #insertEnd kept it for another try, or dropped it with a warning.
      }
    }
  }

  /** Insert the rows of these ends in one savepoint; false (none written) when the file refused one. */
  #insertAll(ends: readonly JournaledEnd[]): boolean {
    try {
      this.#guard(() =>
        this.#inSavepoint(() => {
          for (const end of ends) this.#insertValues(end.commandId, end.values);
        }),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** The journaled ends are due (or too many): written and committed now. */
  #writeEndsDue(): void {
    if (this.#closed) return;
    this.#writeEnds();
    if (this.#batch) this.#commitBatch(this.#batch);
  }

  /** Write a journaled end now, before another write to its job reads its row. */
  #materializeEnd(commandId: string): void {
    const end = this.#ends.take(commandId);
    if (end === undefined) return;
    let batch: Batch;
    try {
      batch = this.#openBatch(true);
    } catch (error) {
      this.#ends.add(end);
      throw error;
    }
    this.#insertEnd(batch, end);
  }

  #insertEnd(batch: Batch, end: JournaledEnd): void {
    try {
      this.#guard(() => this.#inSavepoint(() => this.#insertValues(end.commandId, end.values)));
    } catch (error) {
      this.#endRefused(end, error);
      throw error;
    }
    batch.entries.push(this.#writtenEnd(end));
  }

  /** The batch entry of a journaled end once written: journaled again if the COMMIT fails. */
  #writtenEnd(end: JournaledEnd): Batch['entries'][number] {
    return { events: [], resolve: noop, reject: noop, op: 'transition', start: 0, journaled: end };
  }

  /** A COMMIT that held journaled ends failed: said once until one succeeds. */
  #endsFailed(error: unknown): void {
    if (this.#endsFailing) return;
    this.#endsFailing = true;
    this.#logger?.warn(
      { file: this.file, err: error },
      'cannot commit to the job history: the ends of answered jobs wait in the ended journal and are tried again',
    );
  }

  /** A journaled end the file did not take: once more later, or dropped with a warning. */
  #endRefused(end: JournaledEnd, error: unknown): void {
    end.attempts += 1;
    const taken = isDuplicateJob(error);
    if (!taken && end.attempts < MAX_DEFERRED_ATTEMPTS && !this.#closed) {
      this.#ends.add(end);
      return;
    }
    this.#logger?.warn(
      { file: this.file, command_id: end.commandId, err: error },
      taken
        ? 'another process stored a job with this id first: the end of this job is not recorded'
        : 'could not record the end of a job',
    );
  }

  #insertRow(row: JobRow, impliedEvents = false): void {
    this.#insertValues(row.command_id, insertValues(row, impliedEvents));
  }

  #insertValues(commandId: string, values: unknown[]): void {
    try {
      this.#sql.insert.run(values);
    } catch (error) {
      // The primary key is the duplicate check of a create written at once (a deferred one reads first).
      if (isPrimaryKeyViolation(error)) throw duplicateJob(commandId);
      throw error;
    }
  }

  #moveAll(select: Statement<unknown[], DbRow>, params: unknown[], to: 'expired' | 'lost'): JobRecord[] {
    // Runs at open (no batch yet) or from the expiry timer: commit what this turn wrote first.
    this.#writeDeferred(true);
    this.#writeEnds();
    if (this.#batch) this.#commitBatch(this.#batch);
    return this.#writeNow(to === 'expired' ? 'expireQueued' : 'markInterruptedAsLost', () => {
      const now = this.#o.now();
      const moved: JobRecord[] = [];
      const events: JobEvent[] = [];
      for (const stored of select.all(...params)) {
        this.#running.delete(stored.command_id);
        const next = applyTransition(fromDbRow(stored), to, {}, now, this.#o.maxLogLineLength);
        const event = nextEvent(next, 'state', stateEventData(next), now);
        this.#update(stored.state, next);
        this.#insertEvent(event);
        moved.push(toJobRecord(next));
        events.push(event);
      }
      return { value: moved, events };
    });
  }

  /** The row of a job as the file holds it; JOB_NOT_FOUND when there is none. */
  #stored(commandId: string): JobRow {
    const stored = this.#sql.get.get(commandId);
    if (!stored) throw notFound(commandId);
    return fromDbRow(stored);
  }

  /**
   * Keep the row of a running job (see #running); forget any other. Its log tail is the one value a
   * later write copies from the row and the record returned now also holds: kept apart, so a caller
   * changing its record cannot reach the next write.
   */
  #remember(row: JobRow): void {
    if (row.state === 'running' && this.#running.size < MAX_REMEMBERED_ROWS) {
      this.#running.set(row.command_id, { ...row, log_tail: [...row.log_tail] });
    } else {
      this.#running.delete(row.command_id);
    }
  }

  /** Write a row after a state change: a job that ended without being sent drops its params in the same write. */
  #update(from: JobState, next: JobRow): void {
    this.#sql.update.run(updateValues(next));
    if (dropsParams(from, next.state)) this.#sql.setParams.run(JSON.stringify(next.params), next.command_id);
  }

  /**
   * The implied state events of a job's row, written as rows (before an event is added after them).
   * appendEvent is the one write that adds an event to an ended job; another that does must call this.
   */
  #storeImpliedEvents(row: DbRow): void {
    for (const event of impliedStateEvents(row)) this.#insertEvent(event);
    this.#sql.storeImpliedEvents.run(row.command_id);
  }

  #insertEvent(event: JobEvent): void {
    const at = Date.parse(event.at);
    this.#sql.insertEvent.run(event.job_id, event.seq, event.type, JSON.stringify(event.data), at);
    if (event.seq > this.#o.maxEventsPerJob) {
      this.#sql.trimEvents.run(event.job_id, event.seq - this.#o.maxEventsPerJob);
    }
  }

  /**
   * Group commit: every write of one event-loop turn runs in one transaction (BEGIN IMMEDIATE at the
   * first, so a read-then-write is atomic across processes; each write in its own savepoint, so one
   * that throws undoes only itself), committed once at the end of the turn (setImmediate). A write's
   * promise resolves, and its events go out, only after that COMMIT: whatever a caller was told is on
   * disk in the WAL (see docs/jobs.md for what a crash and a power loss can lose). The one exception,
   * `early`: the create of a job whose caller waits for its end resolves at once (the exec goes out)
   * and is committed with the next write someone waits for, before the next read, or
   * CREATE_COMMIT_DELAY_MS later (only with an Idempotency-Key or a batch: the others go to #defer).
   */
  #write<T>(op: StoreWriteOp, early: boolean, fn: () => { value: T; events: JobEvent[] }): Promise<T> {
    const start = this.#observer ? writeStart() : 0;
    try {
      const batch = this.#openBatch(!early);
      const { value, events } = this.#guard(() => this.#inSavepoint(fn));
      if (early) {
        // Resolved now (NewJob.awaits_end); its events still go out after the COMMIT.
        batch.entries.push({ events, resolve: noop, reject: noop, op, start });
        return Promise.resolve(value);
      }
      return new Promise<T>((resolve, reject) => {
        batch.entries.push({ events, resolve: () => resolve(value), reject, op, start });
      });
    } catch (error) {
      this.#observer?.(op, elapsedSeconds(start));
      throw error;
    }
  }

  /** One write transaction committed at once (open and migration-time work, with no batch open). */
  #writeNow<T>(op: StoreWriteOp, fn: () => { value: T; events: JobEvent[] }): T {
    if (this.#batch) throw new Error('writeNow inside an open batch');
    const start = this.#observer ? writeStart() : 0;
    try {
      const { value, events } = this.#guard(() => {
        this.#tx.begin.run();
        try {
          const result = fn();
          this.#tx.commit.run();
          return result;
        } catch (error) {
          if (this.#db.inTransaction) this.#tx.rollback.run();
          throw error;
        }
      });
      this.#hub.emit(events);
      return value;
    } finally {
      this.#observer?.(op, elapsedSeconds(start));
    }
  }

  #inSavepoint<T>(fn: () => T): T {
    this.#tx.savepoint.run();
    try {
      const result = fn();
      this.#tx.release.run();
      return result;
    } catch (error) {
      if (this.#db.inTransaction) {
        this.#tx.rollbackTo.run();
        this.#tx.release.run();
      }
      throw error;
    }
  }

  /** The open transaction (BEGIN when there is none); `soon`: its COMMIT is due at the end of this turn. */
  #openBatch(soon: boolean): Batch {
    const open = this.#batch;
    if (open) {
      if (soon && !open.soon) this.#commitSoon(open);
      return open;
    }
    this.#guard(() => {
      this.#tx.begin.run();
      // With the write lock held: has anyone else written since our last batch?
      const version = this.#tx.dataVersion.get()!;
      if (version !== this.#dataVersion) this.#running.clear();
      this.#dataVersion = version;
    });
    const batch: Batch = { soon: false, timer: undefined, entries: [] };
    this.#batch = batch;
    if (soon) this.#commitSoon(batch);
    else batch.timer = setTimeout(() => this.#commitBatch(batch), CREATE_COMMIT_DELAY_MS);
    return batch;
  }

  #commitSoon(batch: Batch): void {
    batch.soon = true;
    clearTimeout(batch.timer);
    setImmediate(() => this.#commitBatch(batch));
  }

  #commitBatch(batch: Batch): void {
    if (this.#batch !== batch) return;
    // Every COMMIT takes the journaled ends along: the journal can then be emptied after it.
    if (this.#journal !== undefined && !this.#closed) this.#writeEndsInto(batch);
    this.#batch = undefined;
    clearTimeout(batch.timer);
    let failure: OpenClawError | undefined;
    try {
      this.#guard(() => this.#tx.commit.run());
    } catch (error) {
      failure = error as OpenClawError;
      // The rows remembered in this batch were rolled back with it.
      this.#running.clear();
      try {
        if (this.#db.open && this.#db.inTransaction) this.#tx.rollback.run();
      } catch {
        // the connection is gone; nothing was committed either way
      }
    }
    const observer = this.#observer;
    const end = observer ? writeStart() : 0;
    for (const entry of batch.entries) {
      // A write begun before observeWrites was called has no start: not timed.
      if (observer && entry.start !== 0) observer(entry.op, (end - entry.start) / 1000);
      if (failure) {
        // A create not waited for, rolled back with the batch: written again later, not lost.
        if (entry.deferred && !this.#deferred.has(entry.deferred.row.command_id)) {
          this.#refused(entry.deferred, failure);
        }
        // A journaled end, rolled back with the batch: not the file refusing its row, so tried again
        // with no limit (its line stays in the journal for the next open meanwhile).
        if (entry.journaled && !this.#ends.has(entry.journaled.commandId)) {
          this.#ends.add(entry.journaled);
          this.#endsFailed(failure);
        }
        entry.reject(failure);
        continue;
      }
      this.#hub.emit(entry.events);
      entry.resolve();
    }
    if (failure) return;
    this.#endsFailing = false;
    if (this.#journal !== undefined) this.#trimJournal(this.#journal);
    this.#afterCommit();
  }

  /**
   * After a COMMIT, the journal holds only the ends not in the file yet (those the file refused this
   * time): a line left of a committed row would bring its job back at the next open after a purge.
   */
  #trimJournal(journal: EndedJournal): void {
    try {
      if (this.#ends.size === 0) journal.reset();
      else journal.rewrite([...this.#ends.values()].map((end) => insertRecord(end.values)));
    } catch (error) {
      // Not fatal now: the next COMMIT tries again. Until then a crash could replay a purged job.
      this.#logger?.warn({ file: journal.file, err: error }, 'cannot empty the ended journal');
    }
  }

  /** Ask the checkpoint thread for a checkpoint, starting it at the first COMMIT. */
  #afterCommit(): void {
    const checkpointer = this.#checkpointer;
    if (checkpointer) {
      if (checkpointer.takeRewind()) {
        try {
          this.#tx.checkpoint.get();
        } catch {
          // Not fatal: the WAL rewinds at a later attempt, or SQLite's backstop checkpoint.
        }
      }
      checkpointer.nudge();
      return;
    }
    if (!this.#wantsCheckpointer) return;
    this.#wantsCheckpointer = false;
    this.#checkpointer = startWalCheckpointer(this.#db, this.file, this.#checkpointTuning, (message) => {
      if (this.#closed) return;
      this.#logger?.warn(
        { file: this.file, error: message },
        'the job history checkpoint thread stopped: SQLite checkpoints inside the writes from now on',
      );
    });
  }

  /**
   * A read runs on the writing connection, which sees its own open transaction: the batch commits
   * first, so that no reader is told of a write a crash could still undo (an early create, or a write
   * of this turn before its setImmediate).
   */
  #read<T>(fn: () => T): T {
    this.#writeDeferred(true);
    this.#writeEnds();
    if (this.#batch) this.#commitBatch(this.#batch);
    return this.#guard(fn);
  }

  #guard<T>(fn: () => T): T {
    if (this.#closed || !this.#db.open) throw closedStore();
    try {
      return fn();
    } catch (error) {
      if (isOpenClawError(error)) throw error;
      throw new OpenClawError(
        'JOB_STORE_FAILED',
        `The job history ${this.file} failed: ${(error as Error).message}`,
        {
          cause: error,
          details: { path: this.file },
        },
      );
    }
  }
}

function closedStore(): OpenClawError {
  return new OpenClawError('JOB_STORE_FAILED', 'The job store is closed');
}

function openDatabase(driver: SqliteDriver, dataDir: string, file: string): Database {
  const existed = existsSync(file);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
    if (!existed) closeSync(openSync(file, 'a', 0o600));
    const db = new driver(file, { timeout: 10_000 });
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file);
      if (!existed) chmodSync(file, 0o600);
      // The WAL holds recent job rows (params included): never readable by others, even if an older
      // version created them with the umask's mode.
      for (const side of [`${file}-wal`, `${file}-shm`]) if (existsSync(side)) chmodSync(side, 0o600);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    if (isOpenClawError(error)) throw error;
    throw new OpenClawError(
      'JOB_STORE_FAILED',
      `Cannot open the job history ${file}: ${(error as Error).message}`,
      {
        cause: error,
        details: { field: 'dataDir', path: file },
      },
    );
  }
}
