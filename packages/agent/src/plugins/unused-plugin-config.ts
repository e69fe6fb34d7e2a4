import type { PluginCatalog } from './plugin-catalog.js';

/**
 * Warnings for `plugin_config` sections that no plugin will read. Sections are keyed by plugin name,
 * which a package or path entry only reveals once loaded, so this runs after the catalog is built.
 * A section for a skipped plugin is not reported: the skip already says why.
 * @example for (const warning of findUnusedPluginConfig(catalog, config.plugin_config)) logger.warn(warning)
 */
export function findUnusedPluginConfig(
  catalog: Pick<PluginCatalog, 'plugins' | 'skipped'>,
  pluginConfig: Readonly<Record<string, unknown>>,
): string[] {
  const named = new Set([...catalog.plugins.keys(), ...catalog.skipped.map((skipped) => skipped.name)]);
  const loaded = [...catalog.plugins.keys()].join(', ') || 'none';
  return Object.keys(pluginConfig)
    .filter((name) => !named.has(name))
    .map(
      (name) =>
        `plugin_config.${name} is set but no plugin named "${name}" is loaded (loaded: ${loaded}), so it is not used; plugin_config is keyed by plugin name, not by the plugins entry`,
    );
}
