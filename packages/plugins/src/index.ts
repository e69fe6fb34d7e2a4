import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { explorerPlugin } from './explorer/index.js';
import { nukePlugin } from './nuke/index.js';
import { resolvePlugin } from './resolve/index.js';
import { rvPlugin } from './rv/index.js';
import { shotgridPlugin } from './shotgrid/index.js';

export { explorerPlugin };
export { nukePlugin };
export { resolvePlugin };
export { rvPlugin };
export { shotgridPlugin };

/** The built-in plugins by name, as `plugins:` entries in node_config.yaml refer to them. */
export const builtinPlugins: Record<string, PluginDefinition> = {
  explorer: explorerPlugin,
  nuke: nukePlugin,
  resolve: resolvePlugin,
  rv: rvPlugin,
  shotgrid: shotgridPlugin,
};
