import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** The `plugin_config.explorer` keys: explicit tool paths and the xdg-open grace period. */
export interface ExplorerConfig {
  explorer?: string;
  open?: string;
  xdg_open?: string;
  gdbus?: string;
  dbus_send?: string;
  xdg_open_wait_ms?: number;
}

const PATH_KEYS = ['explorer', 'open', 'xdg_open', 'gdbus', 'dbus_send'] as const;
export type ToolConfigKey = (typeof PATH_KEYS)[number];

/** How long xdg-open may take before we stop waiting for its exit code (it keeps running). */
export const DEFAULT_XDG_OPEN_WAIT_MS = 3000;

/** Read and check this plugin's config section; a wrong type is CONFIG_INVALID naming the key. */
export function readExplorerConfig(raw: Record<string, unknown>): ExplorerConfig {
  const config: ExplorerConfig = {};
  for (const key of PATH_KEYS) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length === 0) {
      throw invalid(key, 'must be a path to an executable');
    }
    config[key] = value;
  }
  const wait = raw.xdg_open_wait_ms;
  if (wait !== undefined && wait !== null) {
    if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0 || wait > 60_000) {
      throw invalid('xdg_open_wait_ms', 'must be a number of milliseconds between 0 and 60000');
    }
    config.xdg_open_wait_ms = wait;
  }
  return config;
}

function invalid(key: string, message: string): OpenClawError {
  const field = `plugin_config.explorer.${key}`;
  return new OpenClawError('CONFIG_INVALID', `${field} ${message}`, { details: { field } });
}
