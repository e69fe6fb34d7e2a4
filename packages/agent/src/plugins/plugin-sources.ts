import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackageSource } from './package-source.js';
import { createPathSource } from './path-source.js';
import { createRegistrySource, type PluginSource } from './plugin-source.js';

/** The folder of the agent's own code: installed packages are looked up from here, as Node would. */
const AGENT_INSTALL_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface PluginSourcesOptions {
  /** Built-in plugins by name (usually builtinPlugins). */
  registry: Record<string, unknown>;
  /** `plugin_dirs` of node_config.yaml. */
  pluginDirs?: readonly string[];
  /** Where to start the node_modules lookup; defaults to the agent's own install. */
  searchFrom?: readonly string[];
}

/**
 * The sources an agent loads `plugins:` entries from, in order: built-in names, absolute paths,
 * then npm packages (beside the agent, then in `plugin_dirs`). A built-in name wins over a package
 * of the same name.
 * @example loadPluginCatalog({ entries: config.plugins, sources: createPluginSources({ registry: builtinPlugins, pluginDirs: config.plugin_dirs }), platform, logger })
 */
export function createPluginSources(options: PluginSourcesOptions): PluginSource[] {
  return [
    createRegistrySource(options.registry),
    createPathSource(),
    createPackageSource({
      searchFrom: options.searchFrom ?? [AGENT_INSTALL_DIR],
      pluginDirs: options.pluginDirs ?? [],
    }),
  ];
}
