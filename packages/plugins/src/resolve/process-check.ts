import { readFile, readdir } from 'node:fs/promises';
import { isOpenClawError, type Platform } from '@openclaw-node/plugin-sdk';
import type { ResolveContext } from './config.js';

/** What to run to ask the OS whether Resolve is running, and how to read the answer. */
interface ProcessQuery {
  file: string;
  args: string[];
  read(exitCode: number | null, stdout: string): boolean | null;
}

// pgrep exits 0 when something matched, 1 when nothing did, 2+ on a usage or system error.
const readPgrep = (exitCode: number | null): boolean | null =>
  exitCode === 0 ? true : exitCode === 1 ? false : null;

const QUERIES: Record<Platform, ProcessQuery> = {
  // The binary is named `resolve`; pgrep -x matches the process name exactly.
  linux: { file: 'pgrep', args: ['-x', 'resolve'], read: readPgrep },
  // The app's process is `Resolve` inside the bundle; the name "DaVinci Resolve" never matches (APPS.md §4.4).
  darwin: {
    file: '/usr/bin/pgrep',
    args: ['-f', 'DaVinci Resolve.app/Contents/MacOS/Resolve'],
    read: readPgrep,
  },
  windows: {
    file: 'tasklist',
    args: ['/FI', 'IMAGENAME eq Resolve.exe', '/FO', 'CSV', '/NH'],
    // tasklist exits 0 either way; a match prints a CSV row starting with the quoted image name.
    read: (exitCode, stdout) => (exitCode === 0 ? /^"Resolve\.exe"/im.test(stdout) : null),
  },
};

/** True when a Resolve process is running, false when none is, null when the OS could not tell. */
export async function isResolveRunning(ctx: ResolveContext): Promise<boolean | null> {
  const query = QUERIES[ctx.platform];
  try {
    const result = await ctx.run(query.file, query.args, { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
    return query.read(result.exitCode, result.stdout);
  } catch (error) {
    // A missing pgrep/tasklist only means we cannot tell; cancellation must still propagate.
    if (
      isOpenClawError(error) &&
      (error.code === 'CANCELLED' || (error.code === 'TIMEOUT' && ctx.signal.aborted))
    )
      throw error;
    ctx.log.debug('could not list processes', {
      file: query.file,
      error: error instanceof Error ? error.message : String(error),
    });
    return ctx.platform === 'linux' ? scanProcFs('resolve') : null;
  }
}

/** Linux without procps: read the process names from /proc directly. */
async function scanProcFs(name: string): Promise<boolean | null> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  for (const pid of entries.filter((entry) => /^\d+$/.test(entry))) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) return true;
  }
  return false;
}

/** The process-query argv per platform, exported for tests and docs. */
export function processQuery(platform: Platform): { file: string; args: string[] } {
  const { file, args } = QUERIES[platform];
  return { file, args: [...args] };
}
