import path from 'node:path';
import type { JobStoreKind } from '@openclaw-node/server';
import { UsageError } from '../clipanion.js';
import { importServer } from '../server-module.js';

/** Where the server keeps its job history, from `--store` / `--data-dir` (else OPENCLAW_STORE / OPENCLAW_DATA_DIR). */
export interface StoreChoice {
  store: JobStoreKind;
  dataDir: string;
  /** For the start-up lines: `sqlite /path/jobs.sqlite` or `memory (…)`. */
  description: string;
}

/** Read the job store flags; a UsageError names the flag (or variable) at fault. */
export async function resolveStoreFlags(
  flags: { store: string | undefined; dataDir: string | undefined },
  env: NodeJS.ProcessEnv,
  fallbackDataDir?: string,
): Promise<StoreChoice> {
  const { JOBS_FILE_NAME, defaultDataDir } = await importServer();
  const given = flags.store ?? env.OPENCLAW_STORE ?? 'sqlite';
  const source = flags.store === undefined ? 'OPENCLAW_STORE' : '--store';
  if (given !== 'sqlite' && given !== 'memory') {
    throw new UsageError(`${source} must be sqlite or memory, got ${JSON.stringify(given)}`);
  }
  if (flags.dataDir !== undefined && flags.dataDir.trim() === '') {
    throw new UsageError('--data-dir must name a directory');
  }
  const dataDir = path.resolve(
    flags.dataDir ?? (env.OPENCLAW_DATA_DIR?.trim() || fallbackDataDir || defaultDataDir({ env })),
  );
  const description =
    given === 'sqlite'
      ? `sqlite ${path.join(dataDir, JOBS_FILE_NAME)}`
      : 'memory (job history is lost when the server stops)';
  return { store: given, dataDir, description };
}
