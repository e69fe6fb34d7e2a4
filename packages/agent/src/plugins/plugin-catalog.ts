import {
  createSchemaCompiler,
  formatActionId,
  isOpenClawError,
  MANIFEST_LIMITS,
  OpenClawError,
  parseActionId,
  validateManifest,
  type JsonSchema,
  type Platform,
  type PluginManifest,
  type SkippedPlugin,
  type Validator,
} from '@openclaw-node/core';
import {
  isPluginDefinition,
  SDK_VERSION,
  toManifest,
  type ActionDefinition,
  type PluginDefinition,
} from '@openclaw-node/plugin-sdk';
import type { Logger } from 'pino';
import { compilePathPlan, type PathPlan } from './path-plan.js';
import type { PluginSource } from './plugin-source.js';

/** One action ready to run: its handler and the validators compiled once at load. */
export interface LoadedAction {
  /** `rv.open_sources` */
  id: string;
  plugin: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: ActionDefinition<any, any>;
  validateParams: Validator;
  validateResult: Validator | null;
  pathPlan: PathPlan;
}

export interface LoadedPlugin {
  name: string;
  /** The `plugins:` entry it was loaded from. */
  entry: string;
  definition: PluginDefinition;
  manifest: PluginManifest;
  actions: Map<string, LoadedAction>;
}

/** The plugins this agent advertises, and the ones it could not load (with why). */
export interface PluginCatalog {
  plugins: Map<string, LoadedPlugin>;
  manifests: PluginManifest[];
  skipped: SkippedPlugin[];
  /** Find `plugin.action`; throws INVALID_ACTION_ID, PLATFORM_UNSUPPORTED, PLUGIN_NOT_FOUND or ACTION_NOT_FOUND. */
  findAction(actionId: string): LoadedAction;
}

export interface LoadPluginCatalogOptions {
  entries: readonly string[];
  sources: readonly PluginSource[];
  platform: Platform;
  logger: Logger;
}

/**
 * Load every `plugins:` entry: check the brand, the SDK major version, the manifest and the platform,
 * and compile each action's validators. A plugin that fails is skipped with a reason, never fatal.
 */
export async function loadPluginCatalog(options: LoadPluginCatalogOptions): Promise<PluginCatalog> {
  const { platform, logger } = options;
  const plugins = new Map<string, LoadedPlugin>();
  const skipped: SkippedPlugin[] = [];
  const unsupported = new Map<string, string>();
  const skip = (name: string, reason: string, level: 'warn' | 'error' | 'info') => {
    skipped.push({ name, reason });
    logger[level]({ plugin: name, reason }, `plugin ${name} not loaded`);
  };

  for (const entry of options.entries) {
    let found: { value: unknown; source: PluginSource } | undefined;
    try {
      found = await resolveEntry(entry, options.sources);
    } catch (error) {
      skip(entry, `could not be loaded: ${(error as Error).message}`, 'error');
      continue;
    }
    if (!found) {
      const known = options.sources.flatMap((source) => source.known());
      skip(entry, `no plugin is named "${entry}" (available: ${known.join(', ') || 'none'})`, 'warn');
      continue;
    }
    try {
      const plugin = loadPlugin(entry, found.value, found.source);
      if (plugins.has(plugin.name)) {
        throw loadError(
          entry,
          `is named "${plugin.name}" like a plugin already loaded (from "${plugins.get(plugin.name)!.entry}")`,
        );
      }
      if (!plugin.manifest.platforms.includes(platform)) {
        const reason = `supports ${plugin.manifest.platforms.join(', ')} only; this node runs ${platform}`;
        unsupported.set(plugin.name, reason);
        skip(plugin.name, reason, 'info');
        continue;
      }
      if (plugins.size >= MANIFEST_LIMITS.maxPlugins) {
        throw loadError(entry, `an agent advertises at most ${MANIFEST_LIMITS.maxPlugins} plugins`);
      }
      plugins.set(plugin.name, plugin);
      logger.info(
        { plugin: plugin.name, version: plugin.manifest.version, actions: [...plugin.actions.keys()] },
        `plugin ${plugin.name} loaded`,
      );
    } catch (error) {
      skip(
        entry,
        isOpenClawError(error) ? error.message : `could not be loaded: ${(error as Error).message}`,
        'error',
      );
    }
  }

  return {
    plugins,
    skipped,
    manifests: [...plugins.values()].map((plugin) => plugin.manifest),
    findAction(actionId) {
      const { plugin: pluginName, action: actionName } = parseActionId(actionId);
      const plugin = plugins.get(pluginName);
      if (!plugin) {
        const reason = unsupported.get(pluginName);
        if (reason) {
          throw new OpenClawError('PLATFORM_UNSUPPORTED', `plugin ${pluginName} ${reason}`, {
            details: { field: 'action', plugin: pluginName, platform },
          });
        }
        throw new OpenClawError(
          'PLUGIN_NOT_FOUND',
          `this node has no plugin named "${pluginName}" (it has: ${[...plugins.keys()].join(', ') || 'none'})`,
          {
            details: { field: 'action', plugin: pluginName },
          },
        );
      }
      const action = plugin.actions.get(actionName);
      if (!action) {
        throw new OpenClawError(
          'ACTION_NOT_FOUND',
          `plugin ${pluginName} has no action "${actionName}" (it has: ${[...plugin.actions.keys()].join(', ')})`,
          {
            details: { field: 'action', plugin: pluginName, action: actionName },
          },
        );
      }
      return action;
    },
  };
}

async function resolveEntry(
  entry: string,
  sources: readonly PluginSource[],
): Promise<{ value: unknown; source: PluginSource } | undefined> {
  for (const source of sources) {
    const value = await source.resolve(entry);
    if (value !== undefined) return { value, source };
  }
  return undefined;
}

function loadPlugin(entry: string, value: unknown, source: PluginSource): LoadedPlugin {
  if (!isPluginDefinition(value)) {
    throw loadError(
      entry,
      `from ${source.label} is not a plugin made with definePlugin() from @openclaw-node/plugin-sdk`,
    );
  }
  const sdkMajor = /^(\d+)\./.exec(String(value.sdk))?.[1];
  if (sdkMajor !== SDK_VERSION.split('.')[0]) {
    throw loadError(
      entry,
      `was built with plugin SDK ${String(value.sdk)}, but this agent has plugin SDK ${SDK_VERSION} (the major versions must match): install a plugin version built for SDK ${SDK_VERSION.split('.')[0]}.x or a matching agent`,
    );
  }
  let manifest: PluginManifest;
  try {
    manifest = validateManifest(toManifest(value));
  } catch (error) {
    const problem = isOpenClawError(error) ? error.message.replace(/^plugin [^:]*: /, '') : String(error);
    throw loadError(entry, `has an invalid manifest: ${problem}`);
  }
  // One compiler per plugin, so two plugins reusing a schema `$id` do not collide.
  const compiler = createSchemaCompiler({ allErrors: false, useDefaults: true });
  const actions = new Map<string, LoadedAction>();
  for (const [name, definition] of Object.entries(value.actions)) {
    const id = formatActionId({ plugin: manifest.name, action: name });
    if (typeof definition.run !== 'function') throw loadError(entry, `action ${id} has no run() handler`);
    const params = manifest.actions[name]!.params;
    const result = manifest.actions[name]!.result;
    try {
      actions.set(name, {
        id,
        plugin: manifest.name,
        definition,
        validateParams: compiler.compile(params, 'params'),
        validateResult: result ? compiler.compile(result, 'result') : null,
        pathPlan: compilePathPlan(params, (schema: JsonSchema) => compiler.compile(schema, 'params')),
      });
    } catch (error) {
      throw loadError(entry, `action ${id}: ${(error as Error).message}`);
    }
  }
  return { name: manifest.name, entry, definition: value, manifest, actions };
}

function loadError(entry: string, message: string): OpenClawError {
  return new OpenClawError('PLUGIN_LOAD_FAILED', `plugin ${entry} ${message}`, {
    details: { plugin: entry },
  });
}
