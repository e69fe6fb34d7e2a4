import os from 'node:os';
import path from 'node:path';

export const CONFIG_DIR_NAME = 'openclaw-node';
export const CONFIG_FILE_NAMES = ['node_config.yaml', 'node_config.yml'] as const;

/**
 * Where the agent looks for node_config.yaml when neither `--config` nor the working directory has one.
 * @example defaultConfigPath('linux', { HOME: '/home/ana' }) // '/home/ana/.config/openclaw-node/node_config.yaml'
 */
export function defaultConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const file = CONFIG_FILE_NAMES[0];
  if (platform === 'win32') {
    const appData =
      nonEmpty(env.APPDATA) ??
      path.win32.join(nonEmpty(env.USERPROFILE) ?? os.homedir(), 'AppData', 'Roaming');
    return path.win32.join(appData, CONFIG_DIR_NAME, file);
  }
  const home = nonEmpty(env.HOME) ?? os.homedir();
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', CONFIG_DIR_NAME, file);
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(base, CONFIG_DIR_NAME, file);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
