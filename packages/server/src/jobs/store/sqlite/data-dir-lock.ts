import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import { OpenClawError, isOpenClawError } from '@openclaw-node/core';

/** The lock file inside the data directory. */
export const DATA_DIR_LOCK_FILE = 'server.lock';

/** What the lock file says about the process that holds it. */
export interface DataDirLockHolder {
  pid: number;
  hostname: string;
  /** ISO 8601 time the holder took the lock. */
  started_at: string;
}

/** An exclusive hold on a data directory, for one server process; `release()` it on close. */
export interface DataDirLock {
  /** Absolute path of `server.lock`. */
  readonly file: string;
  readonly holder: DataDirLockHolder;
  /** The stale holder this lock replaced (its process had died without releasing it). */
  readonly tookOver?: DataDirLockHolder | { unreadable: string };
  /** Remove the lock file, unless it no longer holds this lock; safe to call twice. */
  release(): void;
}

export interface LockDataDirOptions {
  /** Told when a stale lock is taken over. Default: a process warning on stderr. */
  onWarning?: (message: string) => void;
  /** For tests: this process's identity and the liveness check. */
  pid?: number;
  hostname?: string;
  isAlive?: (pid: number) => boolean;
}

/** A lock file still being written by its creator is this young at most; an older unreadable one is stale. */
const WRITING_GRACE_MS = 10_000;
const MAX_ATTEMPTS = 5;

/** Lock files this process holds: one with our own pid that is not among them was left by an earlier life. */
const heldHere = new Set<string>();

/**
 * Take the exclusive lock on `dataDir` (creating the directory, mode 0700): `server.lock` is created
 * with `wx` and holds pid, host name and start time. A lock whose process is dead on this host is
 * taken over with a warning; a live one, or one held on another host, fails with DATA_DIR_LOCKED
 * naming the directory and the holder.
 * @example const lock = lockDataDir('/var/lib/openclaw'); try { … } finally { lock.release(); }
 */
export function lockDataDir(dataDir: string, options: LockDataDirOptions = {}): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, DATA_DIR_LOCK_FILE);
  try {
    return takeLock(dir, file, options);
  } catch (error) {
    if (isOpenClawError(error)) throw error;
    throw new OpenClawError(
      'JOB_STORE_FAILED',
      `Cannot lock the data directory ${dir}: ${(error as Error).message}`,
      { cause: error, details: { field: 'dataDir', path: file } },
    );
  }
}

function takeLock(dir: string, file: string, options: LockDataDirOptions): DataDirLock {
  const me: DataDirLockHolder = {
    pid: options.pid ?? process.pid,
    hostname: options.hostname ?? osHostname(),
    started_at: new Date().toISOString(),
  };
  const isAlive = options.isAlive ?? processIsAlive;
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'DataDirLockWarning'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const content = `${JSON.stringify(me)}\n`;
  let tookOver: DataDirLock['tookOver'];

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createExclusive(file, content)) {
      heldHere.add(file);
      return {
        file,
        holder: me,
        ...(tookOver ? { tookOver } : {}),
        release: () => release(file, content),
      };
    }
    const found = readHolder(file);
    if (found === 'gone') continue;
    const stale = staleReason(found, me, file, isAlive);
    if (stale === undefined) throw lockedError(dir, file, found);
    // Moved aside, not deleted: if another process took the stale lock over first, its fresh
    // lock is what we moved, and it goes back.
    const aside = `${file}.stale-${me.pid}-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = readText(aside);
    if (moved === undefined) continue;
    if (moved !== found.text) {
      restore(aside, file, moved);
      continue;
    }
    unlinkSync(aside);
    tookOver = found.holder ?? { unreadable: found.text };
    warn(`${stale}: took over the lock ${file}`);
  }
  throw new OpenClawError(
    'DATA_DIR_LOCKED',
    `Cannot lock the data directory ${dir}: other processes keep taking ${file}`,
    { details: { field: 'dataDir', data_dir: dir, lock_file: file } },
  );
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

interface FoundLock {
  text: string;
  holder: DataDirLockHolder | undefined;
  ageMs: number;
}

function readHolder(file: string): FoundLock | 'gone' {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(file, 'utf8');
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  return { text, holder: parseHolder(text), ageMs };
}

function parseHolder(text: string): DataDirLockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<DataDirLockHolder>;
    if (
      Number.isInteger(value.pid) &&
      (value.pid ?? 0) > 0 &&
      typeof value.hostname === 'string' &&
      typeof value.started_at === 'string'
    ) {
      return { pid: value.pid!, hostname: value.hostname, started_at: value.started_at };
    }
  } catch {
    // Not JSON: judged by its age below.
  }
  return undefined;
}

/** Why the lock may be taken over, or undefined when its holder may still be running. */
function staleReason(
  found: FoundLock,
  me: DataDirLockHolder,
  file: string,
  isAlive: (pid: number) => boolean,
): string | undefined {
  const holder = found.holder;
  if (holder === undefined) {
    // Its creator may be between creating and writing it.
    return found.ageMs > WRITING_GRACE_MS ? 'the lock file holds no valid holder' : undefined;
  }
  if (holder.hostname !== me.hostname) return undefined;
  // Our own pid, but not a lock of this process: a server that had the same pid before (a container's pid 1).
  if (holder.pid === me.pid) return heldHere.has(file) ? undefined : describeDead(holder);
  return isAlive(holder.pid) ? undefined : describeDead(holder);
}

function describeDead(holder: DataDirLockHolder): string {
  return `the server process ${holder.pid} that locked it at ${holder.started_at} is not running (it did not shut down cleanly)`;
}

function lockedError(dir: string, file: string, found: FoundLock): OpenClawError {
  const holder = found.holder;
  const who = holder
    ? `server process ${holder.pid} on ${holder.hostname} (since ${holder.started_at})`
    : 'a process that is still writing its lock';
  const remedy = holder
    ? `stop that server, or give this one another --data-dir; if no server runs there any more, delete ${file}`
    : `if no other server is starting, delete ${file}`;
  return new OpenClawError(
    'DATA_DIR_LOCKED',
    `The data directory ${dir} is in use by ${who}: two servers must not share one job history; ${remedy}`,
    {
      details: {
        field: 'dataDir',
        data_dir: dir,
        lock_file: file,
        ...(holder ? { pid: holder.pid, hostname: holder.hostname, started_at: holder.started_at } : {}),
      },
    },
  );
}

/** Put back a fresh lock that was moved aside by mistake; never over a lock created meanwhile. */
function restore(aside: string, file: string, text: string): void {
  try {
    linkSync(aside, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Without hard links (some network shares), write it again, still exclusively.
    if (code !== 'EEXIST') createExclusive(file, text);
  } finally {
    unlinkSync(aside);
  }
}

function release(file: string, content: string): void {
  heldHere.delete(file);
  // Someone may have removed a lock they judged stale and taken it: theirs stays.
  if (readText(file) !== content) return;
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** True when `pid` runs on this host; EPERM means it runs under another user. */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
