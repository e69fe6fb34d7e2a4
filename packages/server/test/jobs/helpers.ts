import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOpenClawError, type OpenClawError } from '@openclaw-node/core';
import BetterSqlite3 from 'better-sqlite3';
import type { Logger } from 'pino';
import { afterEach, expect, vi } from 'vitest';
import { MIGRATIONS } from '../../src/jobs/store/sqlite/sqlite-schema.js';
import {
  JOBS_FILE_NAME,
  SqliteJobStore,
  type JobStore,
  type JobStoreOptions,
  type SqliteJobStoreOptions,
} from '../../src/jobs/index.js';

/** A clock the test moves by hand: stores read it instead of Date.now. */
export interface TestClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

export function testClock(start = T0): TestClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The OpenClawError a call threw (sync or async); fails the test if it did not throw one. */
export async function caught(run: () => unknown): Promise<OpenClawError> {
  try {
    await run();
  } catch (error) {
    if (isOpenClawError(error)) return error;
    throw error;
  }
  expect.fail('expected an OpenClawError');
}

/** Builds a fresh, empty store for one test. */
export interface StoreHarness {
  store: JobStore;
  /** Closes the store and removes what it left on disk. */
  cleanup: () => Promise<void>;
}

export type StoreFactory = (options: JobStoreOptions) => Promise<StoreHarness>;

/** What sets a store apart in the shared suites. */
export interface StoreCapabilities {
  /**
   * Several processes share the store (Redis): none can tell which running jobs a dead process left,
   * so markInterruptedAsLost() returns [] and the cluster layer reaps jobs instead.
   */
  sharedStore?: boolean;
}

/** A temp directory removed by the returned cleanup. */
export async function tempDir(
  prefix = 'openclaw-jobs-',
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Temporary data directories and SQLite stores, removed and closed (last first) after each test of
 * the file that calls this at its top level.
 */
export function sqliteTestKit(): {
  defer: (cleanup: () => Promise<void> | void) => void;
  dataDir: () => Promise<string>;
  open: (options: Omit<SqliteJobStoreOptions, 'driver'>) => Promise<SqliteJobStore>;
  /** A second connection to the history file of `dir` (what another process, or a test, sees). */
  raw: (dir: string) => BetterSqlite3.Database;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => Promise<void> | void): void => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    dataDir: async () => {
      const { dir, remove } = await tempDir();
      defer(remove);
      return dir;
    },
    open: async (options) => {
      const store = await SqliteJobStore.open(options);
      defer(() => store.close());
      return store;
    },
    raw: (dir) => {
      const db = new BetterSqlite3(path.join(dir, JOBS_FILE_NAME));
      defer(() => {
        db.close();
      });
      return db;
    },
  };
}

/**
 * A history file in `dir` at an older schema `version` (the first `version` migrations applied), for
 * the upgrade tests to fill with rows; the caller closes it before a store opens the directory.
 */
export function fileAtSchema(dir: string, version: number): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(dir, JOBS_FILE_NAME));
  for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}

/** A logger whose warnings are kept: `messages()` lists their texts in order. */
export function warnLog(): { logger: Pick<Logger, 'warn'>; messages: () => string[] } {
  const warn = vi.fn<(data: unknown, message: string) => void>();
  return { logger: { warn } as never, messages: () => warn.mock.calls.map((call) => call[1]) };
}
