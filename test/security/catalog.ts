import type { PluginManifest } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';

/** Every built-in plugin, by its `plugins:` entry name. */
export const BATTERY_PLUGINS = Object.keys(builtinPlugins).sort();

/**
 * The manifests the battery's agent advertises. Cases are generated from these at collection time
 * (so each case has its own name); a test checks that GET /api/plugins serves exactly these.
 */
export const BATTERY_MANIFESTS: PluginManifest[] = BATTERY_PLUGINS.map((name) =>
  toManifest(builtinPlugins[name]!),
);
