import type { ActionManifest, JsonSchema, PluginManifest } from '@openclaw-node/core';
import type { PluginDefinition } from './define.js';

/** The manifest an agent advertises: the plugin definition minus its handlers. */
export function toManifest(plugin: PluginDefinition): PluginManifest {
  const actions: Record<string, ActionManifest> = {};
  for (const [name, action] of Object.entries(plugin.actions)) {
    const entry: ActionManifest = { description: action.description, params: action.params as JsonSchema };
    if (action.result !== undefined) entry.result = action.result as JsonSchema;
    if (action.timeout !== undefined) entry.timeout = action.timeout;
    if (action.exclusive !== undefined) entry.exclusive = action.exclusive;
    if (action.errors !== undefined) entry.errors = [...action.errors];
    actions[name] = entry;
  }
  const manifest: PluginManifest = {
    name: plugin.name,
    version: plugin.version,
    description: plugin.description,
    platforms: [...plugin.platforms],
    sdk: plugin.sdk,
    actions,
  };
  if (plugin.errors !== undefined) manifest.errors = { ...plugin.errors };
  return manifest;
}
