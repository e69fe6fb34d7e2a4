import { defineConfig, type ActionContext, type ConfigOf } from '@openclaw-node/plugin-sdk';

const toolPath = { type: 'string', minLength: 1, description: 'Path to the executable' } as const;

/** How long xdg-open may take before we stop waiting for its exit code (it keeps running). */
export const DEFAULT_XDG_OPEN_WAIT_MS = 3000;

/** The `plugin_config.explorer` keys: explicit tool paths and the xdg-open grace period. */
export const explorerConfig = defineConfig({
  type: 'object',
  properties: {
    explorer: toolPath,
    open: toolPath,
    xdg_open: toolPath,
    gdbus: toolPath,
    dbus_send: toolPath,
    xdg_open_wait_ms: { type: 'number', minimum: 0, maximum: 60_000, default: DEFAULT_XDG_OPEN_WAIT_MS },
  },
});

export type ExplorerConfig = ConfigOf<typeof explorerConfig>;
export type ExplorerContext = ActionContext<ExplorerConfig>;
export type ToolConfigKey = 'explorer' | 'open' | 'xdg_open' | 'gdbus' | 'dbus_send';
