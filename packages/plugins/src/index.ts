import type { PluginDefinition } from '@openclaw-node/plugin-sdk';

/** The built-in plugins by name, as `plugins:` entries in node_config.yaml refer to them. */
export const builtinPlugins: Record<string, PluginDefinition> = {};
