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
  PLUGIN_NAME_PATTERN,
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
import type { PluginSource, ResolvedPlugin } from './plugin-source.js';

/** One action ready to run: its handler and the validators compiled once at load. */
export interface LoadedAction {
  /** `rv.open_sources` */
  id: string;
  plugin: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: Omit<ActionDefinition<any, any, any>, 'config'>;
  validateParams: Validator;
  validateResult: Validator | null;
  pathPlan: PathPlan;
}

export interface LoadedPlugin {
  name: string;
  /** The `plugins:` entry it was loaded from. */
  entry: string;
  /** Where the definition came from: `built-in plugins`, or the module file imported. */
  from: string;
  definition: PluginDefinition;
  manifest: PluginManifest;
  actions: Map<string, LoadedAction>;
}

/** A plugin the agent did not load: `name` is what the server sees, `entry` what node_config.yaml says. */
export interface SkippedPluginEntry extends SkippedPlugin {
  entry: string;
}

/** The plugins this agent advertises, and the ones it could not load (with why). */
export interface PluginCatalog {
  plugins: Map<string, LoadedPlugin>;
  manifests: PluginManifest[];
  skipped: SkippedPluginEntry[];
  /** Plugins skipped because they do not support this platform: name → why. */
  unsupported: ReadonlyMap<string, string>;
  /** Find `plugin.action`; throws INVALID_ACTION_ID, PLATFORM_UNSUPPORTED, PLUGIN_NOT_FOUND or ACTION_NOT_FOUND. */
  findAction(actionId: string): LoadedAction;
}

export interface LoadPluginCatalogOptions {
  entries: readonly string[];
  /** Tried in order for each entry; see createPluginSources. */
  sources: readonly PluginSource[];
  platform: Platform;
  logger: Logger;
}

// The hello schema's limits on a skipped plugin: a long path entry must not get the hello refused.
const MAX_SKIPPED_NAME = 128;
const MAX_SKIPPED_REASON = 2000;
const PLUGIN_NAME = new RegExp(PLUGIN_NAME_PATTERN);

/**
 * Load every `plugins:` entry: check the brand, the SDK major version, the manifest, the name (one
 * plugin per name) and the platform, and compile each action's validators. A plugin that fails is
 * skipped with a reason, never fatal.
 */
export async function loadPluginCatalog(options: LoadPluginCatalogOptions): Promise<PluginCatalog> {
  const { platform, logger } = options;
  const plugins = new Map<string, LoadedPlugin>();
  const skipped: SkippedPluginEntry[] = [];
  const unsupported = new Map<string, string>();
  /** How each loaded plugin is named in messages: its entry, and the file for a module. */
  const origins = new Map<string, string>();
  const skip = (
    entry: string,
    name: string,
    reason: string,
    level: 'warn' | 'error' | 'info',
    code: string,
  ) => {
    skipped.push({
      name: name.slice(0, MAX_SKIPPED_NAME),
      reason: reason.slice(0, MAX_SKIPPED_REASON),
      code,
      entry,
    });
    logger[level]({ plugin: name, entry, reason }, `plugin not loaded: ${reason}`);
  };

  for (const entry of options.entries) {
    let found: { resolved: ResolvedPlugin; source: PluginSource } | undefined;
    try {
      found = await resolveEntry(entry, options.sources);
    } catch (error) {
      skip(
        entry,
        entry,
        `plugin ${entry} could not be loaded: ${messageOf(error)}`,
        'error',
        'PLUGIN_LOAD_FAILED',
      );
      continue;
    }
    if (!found) {
      skip(entry, entry, notFound(entry, options.sources), 'warn', 'PLUGIN_NOT_FOUND');
      continue;
    }
    const { resolved, source } = found;
    const file = resolved.from === source.label || resolved.from === entry ? '' : ` (${resolved.from})`;
    const who = `${entry}${file}`;
    try {
      const plugin = loadPlugin(entry, who, resolved);
      const first = origins.get(plugin.name);
      if (first !== undefined) {
        skip(
          entry,
          entry,
          `plugin ${who} is named "${plugin.name}", like the plugin already loaded from ${first}: two plugins cannot share a name, so only the first is loaded`,
          'error',
          'PLUGIN_LOAD_FAILED',
        );
        continue;
      }
      if (!plugin.manifest.platforms.includes(platform)) {
        const reason = `supports ${plugin.manifest.platforms.join(', ')} only; this node runs ${platform}`;
        unsupported.set(plugin.name, reason);
        skip(entry, plugin.name, reason, 'info', 'PLATFORM_UNSUPPORTED');
        continue;
      }
      if (plugins.size >= MANIFEST_LIMITS.maxPlugins) {
        throw loadError(
          who,
          `cannot be loaded: an agent advertises at most ${MANIFEST_LIMITS.maxPlugins} plugins`,
        );
      }
      plugins.set(plugin.name, plugin);
      origins.set(plugin.name, `"${entry}"${file}`);
      logger.info(
        {
          plugin: plugin.name,
          version: plugin.manifest.version,
          actions: [...plugin.actions.keys()],
          ...(resolved.from === source.label ? {} : { from: resolved.from }),
        },
        `plugin ${plugin.name} loaded`,
      );
    } catch (error) {
      skip(
        entry,
        declaredName(resolved.value) ?? entry,
        isOpenClawError(error) ? error.message : `plugin ${who} could not be loaded: ${messageOf(error)}`,
        'error',
        isOpenClawError(error) ? error.code : 'PLUGIN_LOAD_FAILED',
      );
    }
  }

  return {
    plugins,
    skipped,
    unsupported,
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
): Promise<{ resolved: ResolvedPlugin; source: PluginSource } | undefined> {
  for (const source of sources) {
    const resolved = await source.resolve(entry);
    if (resolved !== undefined) return { resolved, source };
  }
  return undefined;
}

function notFound(entry: string, sources: readonly PluginSource[]): string {
  const known = sources.flatMap((source) => source.known());
  const misses = sources.flatMap((source) => source.explainMiss?.(entry) ?? []);
  return [`no plugin is named "${entry}" (available: ${known.join(', ') || 'none'})`, ...misses].join('; ');
}

/** The name a definition claims, when it is one the server could match an action against. */
function declaredName(value: unknown): string | undefined {
  const name = isPluginDefinition(value) ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' && PLUGIN_NAME.test(name) ? name : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadPlugin(entry: string, who: string, resolved: ResolvedPlugin): LoadedPlugin {
  const value = resolved.value;
  if (!isPluginDefinition(value)) {
    throw loadError(
      who,
      `from ${resolved.from} is not a plugin made with definePlugin() from @openclaw-node/plugin-sdk`,
    );
  }
  const agentMajor = SDK_VERSION.split('.')[0]!;
  if (typeof value.sdk !== 'string') {
    throw loadError(
      who,
      `does not say which plugin SDK built it: rebuild it with definePlugin() from @openclaw-node/plugin-sdk ${agentMajor}.x (this agent has plugin SDK ${SDK_VERSION})`,
    );
  }
  if (/^(\d+)\./.exec(value.sdk)?.[1] !== agentMajor) {
    throw loadError(
      who,
      `was built with plugin SDK ${value.sdk}, but this agent has plugin SDK ${SDK_VERSION} (the major versions must match): install a plugin version built for SDK ${agentMajor}.x or a matching agent`,
    );
  }
  let manifest: PluginManifest;
  try {
    manifest = validateManifest(toManifest(value));
  } catch (error) {
    const problem = isOpenClawError(error) ? error.message.replace(/^plugin [^:]*: /, '') : String(error);
    throw loadError(who, `has an invalid manifest: ${problem}`);
  }
  // One compiler per plugin, so two plugins reusing a schema `$id` do not collide.
  const compiler = createSchemaCompiler({ allErrors: false, useDefaults: true });
  const actions = new Map<string, LoadedAction>();
  for (const [name, definition] of Object.entries(value.actions)) {
    const id = formatActionId({ plugin: manifest.name, action: name });
    if (typeof definition.run !== 'function') throw loadError(who, `action ${id} has no run() handler`);
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
      throw loadError(who, `action ${id}: ${(error as Error).message}`);
    }
  }
  return { name: manifest.name, entry, from: resolved.from, definition: value, manifest, actions };
}

function loadError(who: string, message: string): OpenClawError {
  return new OpenClawError('PLUGIN_LOAD_FAILED', `plugin ${who} ${message}`, {
    details: { plugin: who },
  });
}
