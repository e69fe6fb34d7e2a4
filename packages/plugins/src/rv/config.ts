import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** The `plugin_config.rv` keys. */
export interface RvConfig {
  /** The rv executable (RV.app/Contents/MacOS/RV, rv.exe, the Linux bin/rv wrapper). */
  path?: string;
  /** The rvpush executable; by default the one next to rv. */
  rvpush_path?: string;
  /** Limit for one rvpush call. */
  rvpush_timeout_ms?: number;
  /** Limit for `rv -version` in ping. */
  version_timeout_ms?: number;
}

export const DEFAULT_RVPUSH_TIMEOUT_MS = 30_000;
export const DEFAULT_VERSION_TIMEOUT_MS = 5_000;

/** Read and check this plugin's config section; a wrong type is CONFIG_INVALID naming the key. */
export function readRvConfig(raw: Record<string, unknown>): RvConfig {
  const config: RvConfig = {};
  for (const key of ['path', 'rvpush_path'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length === 0)
      throw invalid(key, 'must be a path to an executable');
    config[key] = value;
  }
  for (const key of ['rvpush_timeout_ms', 'version_timeout_ms'] as const) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 100 || value > 600_000) {
      throw invalid(key, 'must be a number of milliseconds between 100 and 600000');
    }
    config[key] = value;
  }
  return config;
}

function invalid(key: string, message: string): OpenClawError {
  const field = `plugin_config.rv.${key}`;
  return new OpenClawError('CONFIG_INVALID', `${field} ${message}`, { details: { field } });
}
