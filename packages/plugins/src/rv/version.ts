import { isOpenClawError } from '@openclaw-node/plugin-sdk';
import type { RvContext } from './config.js';

export interface RvVersion {
  version: string | null;
  /** How it was read: `rv -version`, or the install folder's name. */
  from: 'rv -version' | 'folder name' | null;
  /** Why `rv -version` gave nothing, when it was tried. */
  error?: string;
}

/** The version in an install folder name: `RV-2024.1.0`, `rv-centos7-x86-64-2023.0.1`. */
export function versionFromPath(file: string): string | null {
  return /RV[^\\/]*?-(\d+\.\d+(?:\.\d+)?)(?=[\\/]|\.app|$)/i.exec(file)?.[1] ?? null;
}

/**
 * Read RV's version: `rv -version` prints MAJOR.MINOR.REV and exits 0 (OpenRV main.cpp), bounded by
 * a short timeout. Windows rv.exe is a GUI program whose stdout may not be capturable, so there only
 * the folder name is used.
 */
export async function readRvVersion(ctx: RvContext, rv: string): Promise<RvVersion> {
  const fromFolder = versionFromPath(rv);
  if (ctx.platform === 'windows') return { version: fromFolder, from: fromFolder ? 'folder name' : null };
  const timeoutMs = ctx.config.version_timeout_ms;
  let error: string;
  try {
    const result = await ctx.run(rv, ['-version'], { timeoutMs, maxOutputBytes: 16 * 1024 });
    const match = /\b(\d+\.\d+\.\d+)\b/.exec(`${result.stdout}\n${result.stderr}`);
    if (result.exitCode === 0 && match) return { version: match[1]!, from: 'rv -version' };
    error = `rv -version exited with ${result.exitCode ?? result.signal ?? 'an error'} and printed no version`;
  } catch (thrown) {
    if (ctx.signal.aborted) throw thrown;
    error = isOpenClawError(thrown) ? `${thrown.code}: ${thrown.message}` : String(thrown);
  }
  return fromFolder
    ? { version: fromFolder, from: 'folder name', error }
    : { version: null, from: null, error };
}
