import { toPlatform, type Platform } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { builtinPlugins } from '@openclaw-node/plugins';
import { pino } from 'pino';
import type { AgentConfig } from '../config/agent-config.js';
import type { RuntimeFactory } from '../executor/action-context.js';
import { createExecutor } from '../executor/executor.js';
import { createPathGuard } from '../executor/path-guard.js';
import { loadPluginCatalog } from '../plugins/plugin-catalog.js';
import { createPluginSources } from '../plugins/plugin-sources.js';

/** The application behind one plugin on this machine, as that plugin's `ping` found it. */
export interface PluginAppStatus {
  /** The `plugins:` entry: a built-in name, an npm package or a path. */
  entry: string;
  /** The plugin's name (its manifest's once loaded, else the entry). */
  plugin: string;
  /** False when the plugin cannot load here: unknown name, another OS, a broken definition. */
  loaded: boolean;
  /** True when the app was found and can run; null when it could not be told (no ping, ping failed). */
  available: boolean | null;
  app: { path: string; version: string | null; source: string | null } | null;
  /** Why the app is not available, or why the plugin did not load. */
  reason?: string;
  /** Where the plugin looked for the app. */
  searched?: string[];
  /** The error code when the plugin did not load or its ping failed. */
  code?: string;
}

export interface DetectPluginAppsOptions {
  /** Plugin names (`plugins:` entries). */
  plugins: readonly string[];
  /** Each plugin's `plugin_config` section (a configured `path` is honoured). */
  pluginConfig?: AgentConfig['plugin_config'];
  platform?: Platform;
  /** Built-in plugins by name; defaults to the agent's. */
  registry?: Record<string, PluginDefinition>;
  /** `plugin_dirs`: where npm plugin packages are looked for, as the agent does. */
  pluginDirs?: readonly string[];
  /** The environment the plugins search (PATH, AGENT_RV_EXE…). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Deadline of each ping. Default 20 s. */
  timeoutMs?: number;
  /** Replaces the SDK's process runtime (run, launch, which). */
  createRuntime?: RuntimeFactory;
}

/**
 * Run each plugin's `ping` through the agent's own catalog and executor (the same validation, config
 * and runtime as a job from the server) and report whether its application is here, where and which
 * version. All pings run at once; none throws.
 * @example const apps = await detectPluginApps({ plugins: Object.keys(builtinPlugins) })
 */
export async function detectPluginApps(options: DetectPluginAppsOptions): Promise<PluginAppStatus[]> {
  const platform = options.platform ?? toPlatform(process.platform) ?? 'linux';
  const logger = pino({ level: 'silent' });
  const env = options.env;
  const createRuntime: RuntimeFactory =
    options.createRuntime ?? ((runtime) => createProcessRuntime({ ...runtime, ...(env ? { env } : {}) }));
  const catalog = await loadPluginCatalog({
    entries: options.plugins,
    sources: createPluginSources({
      registry: options.registry ?? builtinPlugins,
      pluginDirs: options.pluginDirs ?? [],
    }),
    platform,
    logger,
  });
  const executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [], platform }),
    pluginConfig: options.pluginConfig ?? {},
    platform,
    logger,
    emitProgress: () => undefined,
    createRuntime,
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  return Promise.all(
    options.plugins.map(async (entry, index): Promise<PluginAppStatus> => {
      const loaded = [...catalog.plugins.values()].find((plugin) => plugin.entry === entry);
      if (!loaded) {
        const skipped = catalog.skipped.find((s) => s.entry === entry) ?? {
          name: entry,
          reason: 'could not be loaded',
        };
        return {
          entry,
          plugin: skipped.name,
          loaded: false,
          available: null,
          app: null,
          reason: skipped.reason,
          code: 'PLUGIN_LOAD_FAILED',
        };
      }
      if (!loaded.actions.has('ping')) {
        return {
          entry,
          plugin: loaded.name,
          loaded: true,
          available: null,
          app: null,
          reason: `plugin ${loaded.name} has no ping action`,
        };
      }
      const ack = await executor.execute({
        jobId: `detect-${index}`,
        action: `${loaded.name}.ping`,
        params: {},
        timeoutMs,
      });
      if (!ack.ok) {
        return {
          entry,
          plugin: loaded.name,
          loaded: true,
          available: null,
          app: null,
          reason: ack.error.message,
          code: ack.error.code,
        };
      }
      return fromPing(entry, loaded.name, ack.result);
    }),
  );
}

function fromPing(entry: string, plugin: string, result: unknown): PluginAppStatus {
  const ping = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const app = ping.app as { path?: unknown; version?: unknown; source?: unknown } | null | undefined;
  const status: PluginAppStatus = {
    entry,
    plugin,
    loaded: true,
    available: typeof ping.available === 'boolean' ? ping.available : null,
    app:
      app && typeof app.path === 'string'
        ? {
            path: app.path,
            version: typeof app.version === 'string' ? app.version : null,
            source: typeof app.source === 'string' ? app.source : null,
          }
        : null,
  };
  if (typeof ping.reason === 'string') status.reason = ping.reason;
  if (Array.isArray(ping.searched))
    status.searched = ping.searched.filter((s): s is string => typeof s === 'string');
  return status;
}
