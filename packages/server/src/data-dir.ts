import os from 'node:os';
import path from 'node:path';

/** The folder name under the per-OS data location. */
export const DATA_DIR_NAME = 'openclaw-node';

/** Where defaultDataDir looks: injectable so tests can ask for another OS. */
export interface DataDirContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/**
 * The server's data directory (job history) when none is given: `OPENCLAW_DATA_DIR`, else
 * Linux `$XDG_DATA_HOME/openclaw-node` (default `~/.local/share/openclaw-node`), macOS
 * `~/Library/Application Support/openclaw-node`, Windows `%LOCALAPPDATA%\openclaw-node`.
 * @example defaultDataDir({ env: {}, platform: 'linux', homedir: '/home/td' }) // '/home/td/.local/share/openclaw-node'
 */
export function defaultDataDir(context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.homedir ?? os.homedir();
  const given = env.OPENCLAW_DATA_DIR?.trim();
  if (given) return given;
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim() || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, DATA_DIR_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', DATA_DIR_NAME);
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, DATA_DIR_NAME);
}
