import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** The least time between two checkpoints of the thread: each syncs the WAL and the database once. */
export const WAL_CHECKPOINT_INTERVAL_MS = 20;

/**
 * SQLite rewinds the WAL only when a write begins with every page of it copied into the database,
 * which the thread's checkpoints never achieve while writes follow each other closely (each copies
 * what was there when it began). So once the thread reports a WAL this long (~64 MiB), the writing
 * connection checkpoints the few pages the thread has not copied yet (a few ms: two fsyncs), and its
 * next write rewinds the WAL.
 */
export const REWIND_WAL_PAGES = 16_384;

/**
 * With the thread running, SQLite's own checkpoint inside a COMMIT (wal_autocheckpoint) waits for a
 * WAL twice the rewind length: a backstop for a thread that falls behind.
 */
export const BACKSTOP_FACTOR = 2;

/** SQLite's own wal_autocheckpoint default, restored when the thread stops. */
export const DEFAULT_WAL_PAGES = 1_000;

const WORKER_URL = new URL('./wal-checkpoint-worker.js', import.meta.url);

type WorkerReply = { type: 'done'; frames: number; copied: number } | { type: 'failed'; message: string };

/** Options of WalCheckpointer. */
export interface WalCheckpointerOptions {
  /** The database file (WAL mode). */
  file: string;
  /** Told once when the thread cannot start or a checkpoint fails; the thread is gone then. */
  onFailure: (message: string) => void;
  /** Where better-sqlite3 is; default: resolved from this package. */
  driverPath?: string;
  /** Default WAL_CHECKPOINT_INTERVAL_MS. */
  minIntervalMs?: number;
  /** Default REWIND_WAL_PAGES. */
  rewindPages?: number;
}

/** Resolve better-sqlite3's entry from this package; undefined when it cannot be resolved. */
export function resolveDriverPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return undefined;
  }
}

/**
 * Runs the SQLite store's WAL checkpoints in a worker thread with its own connection, so that the
 * copying of pages into the database and its two fsyncs do not stop the event loop: at SQLite's
 * default they ran inside the COMMIT of every ~100th job and stalled it for milliseconds.
 */
export class WalCheckpointer {
  /** Checkpoints the thread has finished. */
  checkpoints = 0;
  /** Pages in the WAL at the last checkpoint, and how many of them were in the database after it. */
  last = { frames: 0, copied: 0 };
  /** Times the writing connection was asked to checkpoint so that the WAL rewinds. */
  rewinds = 0;
  readonly rewindPages: number;
  readonly #worker: Worker;
  readonly #onFailure: (message: string) => void;
  #asked = false;
  #rewindDue = false;
  #stopped = false;
  readonly #exited: Promise<void>;

  constructor(options: WalCheckpointerOptions) {
    this.#onFailure = options.onFailure;
    this.rewindPages = options.rewindPages ?? REWIND_WAL_PAGES;
    this.#worker = new Worker(WORKER_URL, {
      workerData: {
        file: options.file,
        driverPath: options.driverPath ?? resolveDriverPath() ?? 'better-sqlite3',
        minIntervalMs: options.minIntervalMs ?? WAL_CHECKPOINT_INTERVAL_MS,
      },
    });
    // The thread never keeps a server alive: close() stops it, and a checkpoint cut short is harmless.
    this.#worker.unref();
    this.#worker.on('message', (reply: WorkerReply) => this.#reply(reply));
    this.#worker.on('error', (error: unknown) =>
      this.#fail(error instanceof Error ? error.message : String(error)),
    );
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        this.#fail('the checkpoint thread exited');
        resolve();
      });
    });
  }

  /** True until the thread failed or was closed. */
  get running(): boolean {
    return !this.#stopped;
  }

  /** A COMMIT happened: checkpoint soon (at most one request is outstanding). */
  nudge(): void {
    if (this.#asked || this.#stopped) return;
    this.#asked = true;
    this.#worker.postMessage('checkpoint');
  }

  /**
   * True once after the thread found the WAL longer than REWIND_WAL_PAGES: the writing connection
   * should checkpoint now, outside a transaction, so that its next write rewinds the WAL.
   */
  takeRewind(): boolean {
    if (!this.#rewindDue) return false;
    this.#rewindDue = false;
    this.rewinds++;
    return true;
  }

  /** Stop the thread (its connection closes first); resolves when it has exited. */
  async close(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#worker.postMessage('close');
    }
    // Held while it winds down: unref'd, a process with nothing else to wait for (a script, a server
    // whose sockets are closed) would exit here, before the store closed its file and released its lock.
    this.#worker.ref();
    await this.#exited;
  }

  #reply(reply: WorkerReply): void {
    if (reply.type === 'failed') {
      this.#fail(reply.message);
      return;
    }
    this.checkpoints++;
    this.last = { frames: reply.frames, copied: reply.copied };
    if (reply.frames >= this.rewindPages) this.#rewindDue = true;
    this.#asked = false;
  }

  #fail(message: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    void this.#worker.terminate();
    this.#onFailure(message);
  }
}

/**
 * Start the thread for the file of `db` (the writing connection), with SQLite's own checkpoint left as
 * a backstop; undefined when the OS refuses a thread. If it cannot start, or stops later, SQLite
 * checkpoints inside the writes again (wal_autocheckpoint back to its default) and `stopped` is told.
 */
export function startWalCheckpointer(
  db: Database,
  file: string,
  tuning: Pick<WalCheckpointerOptions, 'minIntervalMs' | 'rewindPages'>,
  stopped: (message: string) => void,
): WalCheckpointer | undefined {
  const fallBack = (message: string): void => {
    try {
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_WAL_PAGES}`);
    } catch {
      // Called from the thread's events: a connection in trouble shows on the next write instead.
    }
    stopped(message);
  };
  let checkpointer: WalCheckpointer;
  try {
    checkpointer = new WalCheckpointer({ ...tuning, file, onFailure: fallBack });
  } catch (error) {
    // The OS refused a thread (ERR_WORKER_INIT_FAILED): this runs after a COMMIT, often from setImmediate.
    fallBack(error instanceof Error ? error.message : String(error));
    return undefined;
  }
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_FACTOR * checkpointer.rewindPages}`);
  checkpointer.nudge();
  return checkpointer;
}
