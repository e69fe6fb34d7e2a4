import { OpenClawError } from '@openclaw-node/core';
import type BetterSqlite3 from 'better-sqlite3';

/** The better-sqlite3 `Database` constructor. */
export type SqliteDriver = typeof BetterSqlite3;

/** Imports the driver module; replaceable in tests to simulate a missing install. */
export type SqliteDriverImporter = () => Promise<{ default: SqliteDriver }>;

/** How to get the native module, or do without it: the fix every failure message carries. */
export const SQLITE_FIX =
  'Install better-sqlite3 with its native build, e.g. `npm i -g --allow-scripts=better-sqlite3 @openclaw-node/cli` ' +
  '(or `npm rebuild better-sqlite3` where it is installed), or start the server with `--store memory` ' +
  '(job history in memory only)';

const importDriver: SqliteDriverImporter = () => import('better-sqlite3');

let cached: Promise<SqliteDriver> | undefined;

/**
 * Load better-sqlite3 on first use. It is an optional dependency (workstations that never run a
 * server skip its native build), so a missing module or build becomes JOB_STORE_FAILED with the fix.
 */
export function loadSqliteDriver(importer: SqliteDriverImporter = importDriver): Promise<SqliteDriver> {
  if (importer !== importDriver) return probe(importer);
  cached ??= probe(importer).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function probe(importer: SqliteDriverImporter): Promise<SqliteDriver> {
  let driver: SqliteDriver;
  try {
    driver = (await importer()).default;
  } catch (error) {
    throw unavailable('the better-sqlite3 package is not installed', error);
  }
  try {
    // The native addon loads on the first open: find out now rather than on the first job.
    new driver(':memory:').close();
  } catch (error) {
    throw unavailable(`its native build could not be loaded (${(error as Error).message})`, error);
  }
  return driver;
}

function unavailable(why: string, cause: unknown): OpenClawError {
  return new OpenClawError('JOB_STORE_FAILED', `The sqlite job store cannot open: ${why}. ${SQLITE_FIX}.`, {
    cause,
    details: { field: 'store', store: 'sqlite' },
  });
}
