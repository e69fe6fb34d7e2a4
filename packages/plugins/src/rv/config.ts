import { defineConfig, type ActionContext, type ConfigOf } from '@openclaw-node/plugin-sdk';

export const DEFAULT_RVPUSH_TIMEOUT_MS = 30_000;
export const DEFAULT_VERSION_TIMEOUT_MS = 5_000;

const executable = { type: 'string', minLength: 1 } as const;
const limitMs = { type: 'number', minimum: 100, maximum: 600_000 } as const;

/** The `plugin_config.rv` keys. */
export const rvConfig = defineConfig({
  type: 'object',
  properties: {
    /** The rv executable (RV.app/Contents/MacOS/RV, rv.exe, the Linux bin/rv wrapper). */
    path: executable,
    /** The rvpush executable; by default the one next to rv. */
    rvpush_path: executable,
    /** Limit for one rvpush call. */
    rvpush_timeout_ms: { ...limitMs, default: DEFAULT_RVPUSH_TIMEOUT_MS },
    /** Limit for `rv -version` in ping. */
    version_timeout_ms: { ...limitMs, default: DEFAULT_VERSION_TIMEOUT_MS },
  },
});

export type RvConfig = ConfigOf<typeof rvConfig>;
export type RvContext = ActionContext<RvConfig>;
