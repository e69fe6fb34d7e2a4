import { isOpenClawError, type PluginHealth } from '@openclaw-node/core';
import type { PluginCatalog } from '../plugins/plugin-catalog.js';
import { checkPluginHealth, type PluginHealthCheckOptions } from './check-plugin-health.js';
import { cap } from './ping-health.js';

export interface ComputeHealthOptions extends PluginHealthCheckOptions {
  catalog: PluginCatalog;
  /** How many pings run at once. Default 4. */
  concurrency?: number;
  /** Called as each plugin's check finishes (so a hello can carry what is already known). */
  onResult?: (health: PluginHealth) => void;
}

/**
 * Check every loaded plugin (its `ping`, a few at a time) and add the plugins skipped for this
 * platform as unavailable. Sorted by plugin name; never rejects.
 * @example const health = await computeHealth({ catalog, pluginConfig, platform, logger, createRuntime, timeoutMs: 10_000 })
 */
export async function computeHealth(options: ComputeHealthOptions): Promise<PluginHealth[]> {
  const results: PluginHealth[] = unsupportedHealth(options.catalog, new Date().toISOString());
  for (const health of results) options.onResult?.(health);
  const queue = [...options.catalog.plugins.values()];
  const worker = async (): Promise<void> => {
    for (let plugin = queue.shift(); plugin; plugin = queue.shift()) {
      if (options.signal?.aborted) return;
      const health = await checkPluginHealth(plugin, options);
      results.push(health);
      options.onResult?.(health);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return sortHealth(results);
}

/** Health of the plugins the catalog skipped because they do not support this platform. */
export function unsupportedHealth(catalog: PluginCatalog, checkedAt: string): PluginHealth[] {
  const health: PluginHealth[] = [];
  for (const { name, reason } of catalog.skipped) {
    if (health.some((h) => h.plugin === name) || !isPlatformSkip(catalog, name)) continue;
    health.push({
      plugin: name,
      available: false,
      reason: cap(`platform unsupported (${reason})`),
      checkedAt,
    });
  }
  return health;
}

/** The catalog answers PLATFORM_UNSUPPORTED for exactly the plugins it skipped for the platform. */
function isPlatformSkip(catalog: PluginCatalog, name: string): boolean {
  try {
    catalog.findAction(`${name}.ping`);
    return false;
  } catch (error) {
    return isOpenClawError(error) && error.code === 'PLATFORM_UNSUPPORTED';
  }
}

/** By plugin name, so equal health compares equal. */
export function sortHealth(health: readonly PluginHealth[]): PluginHealth[] {
  return [...health].sort((a, b) => (a.plugin < b.plugin ? -1 : a.plugin > b.plugin ? 1 : 0));
}
