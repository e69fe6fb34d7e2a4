import { stat } from 'node:fs/promises';
import { isOpenClawError } from '@openclaw-node/plugin-sdk';
import { BATCH_ENV } from './batch-env.js';
import type { NukeContext } from './nuke-config.js';

/** The Nuke version and where it came from. */
export interface NukeVersion {
  version: string | null;
  /** `executable`: Nuke's own banner; `path`: the install folder name (the probe failed). */
  source: 'executable' | 'path' | null;
  /** Why the banner could not be read, when it could not. */
  reason?: string;
}

// "Nuke 15.1v3, 64 bit, built Apr  4 2024." and betas like "Nuke 14.1v1.111044b, 64 bit, …".
const BANNER = /\bNuke\s+(\d+\.\d+v\d+(?:\.[0-9A-Za-z]+)?)\s*,/;

// Nuke starts slowly (seconds), so one answer per binary is kept until the binary changes.
const cache = new Map<string, string>();

/** The version in Nuke's start-up banner, if any line has one. */
export function parseBanner(output: string): string | null {
  return BANNER.exec(output)?.[1] ?? null;
}

/**
 * Ask the binary (`Nuke --version`, bounded by `timeoutMs`) and fall back to the version its path
 * names. A slow or failing probe is not an error; cancel, timeout and spawn failures are rethrown.
 */
export async function probeNukeVersion(
  ctx: NukeContext,
  exe: string,
  pathVersion: string | null,
  timeoutMs: number,
): Promise<NukeVersion> {
  const key = await stat(exe).then(
    (info) => `${exe}\0${info.mtimeMs}\0${info.size}`,
    () => null,
  );
  const cached = key === null ? undefined : cache.get(key);
  if (cached) return { version: cached, source: 'executable' };

  let reason: string;
  try {
    const result = await ctx.run(exe, ['--version'], {
      timeoutMs,
      env: BATCH_ENV,
      maxOutputBytes: 64 * 1024,
    });
    const version = parseBanner(`${result.stdout}\n${result.stderr}`);
    if (version) {
      if (key !== null) cache.set(key, version);
      return { version, source: 'executable' };
    }
    reason = `Nuke --version printed no version banner (exit code ${String(result.exitCode)})`;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // A binary that cannot start at all is the caller's answer, not a missing version.
    if (isOpenClawError(error) && (error.code === 'APP_NOT_FOUND' || error.code === 'APP_NOT_EXECUTABLE'))
      throw error;
    reason = isOpenClawError(error) ? `${error.code}: ${error.message}` : 'Nuke --version could not be run';
  }
  return pathVersion
    ? { version: pathVersion, source: 'path', reason }
    : { version: null, source: null, reason };
}
