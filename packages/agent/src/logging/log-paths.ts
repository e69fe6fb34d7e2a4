import os from 'node:os';
import path from 'node:path';

/** The agent's current log file; rotated copies are `agent.log.1` (newest) to `agent.log.<n>`. */
export const LOG_FILE_NAME = 'agent.log';

const APP_DIR = 'openclaw-node';

/**
 * The per-OS folder of the agent's log, the same one the service definitions use: Linux
 * `$XDG_STATE_HOME/openclaw-node/logs` (else `~/.local/state/…`), macOS `~/Library/Logs/openclaw-node`,
 * Windows `%LOCALAPPDATA%\openclaw-node\logs`.
 * @example defaultLogDir('linux', { HOME: '/home/ana' }) // '/home/ana/.local/state/openclaw-node/logs'
 */
export function defaultLogDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'win32') {
    const local =
      nonEmpty(env.LOCALAPPDATA) ??
      path.win32.join(nonEmpty(env.USERPROFILE) ?? os.homedir(), 'AppData', 'Local');
    return path.win32.join(local, APP_DIR, 'logs');
  }
  const home = nonEmpty(env.HOME) ?? os.homedir();
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Logs', APP_DIR);
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_STATE_HOME);
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'state');
  return path.posix.join(base, APP_DIR, 'logs');
}

/** `defaultLogDir()` plus `agent.log`: where the agent writes its log unless told otherwise. */
export function defaultLogFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  return p.join(defaultLogDir(platform, env), LOG_FILE_NAME);
}

/** The rotated copies of `file`, newest first: `agent.log.1`, `agent.log.2`… up to `count`. */
export function rotatedLogFiles(file: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${file}.${index + 1}`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
