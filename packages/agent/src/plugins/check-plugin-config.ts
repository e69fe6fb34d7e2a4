import { checkPluginConfig } from '@openclaw-node/plugin-sdk';
import type { AgentConfig } from '../config/agent-config.js';
import type { PluginCatalog } from './plugin-catalog.js';

/**
 * Validate every loaded plugin's `plugin_config` section once, at load, against the schema the
 * plugin declares (`definePlugin({ config })`). Returns the sections to run actions with (one
 * object per plugin, so the outcome found here is reused by every run) and one warning per
 * invalid section naming the field at fault. A plugin with a bad section stays loaded: its
 * actions answer that CONFIG_INVALID (its ping says "unavailable") until the config is fixed.
 */
export function checkPluginConfigs(
  catalog: Pick<PluginCatalog, 'plugins'>,
  pluginConfig: AgentConfig['plugin_config'],
): { sections: AgentConfig['plugin_config']; warnings: string[] } {
  const sections: AgentConfig['plugin_config'] = { ...pluginConfig };
  const warnings: string[] = [];
  for (const [name, plugin] of catalog.plugins) {
    const section = (sections[name] ??= {});
    const error = checkPluginConfig(plugin.definition, section);
    if (error)
      warnings.push(`${error.message}: the ${name} plugin's actions answer CONFIG_INVALID until it is fixed`);
  }
  return { sections, warnings };
}
