import type { PluginHealth } from '@openclaw-node/core';
import type { NodeSession } from '../node-session.js';

/** Can an action run on a node, as far as the server knows; `reason` says why not (or why unsure). */
export interface Availability {
  available: boolean;
  reason?: string;
}

/**
 * Availability of `plugin.action` on a node, from its advertised plugins, skipped plugins and last
 * health check. A plugin never checked (an older agent, a check still running) counts as available:
 * health only explains failures, it never blocks an exec.
 */
export function availabilityOf(
  session: NodeSession | undefined,
  nodeId: string,
  plugin: string,
  action: string,
): Availability {
  if (!session) return { available: false, reason: `node ${nodeId} is not connected` };
  const advertised = session.plugins.get(plugin);
  if (!advertised) {
    const health = healthOf(session, plugin);
    const skipped = session.skipped.find((s) => s.name === plugin);
    const reason = health?.reason ?? (skipped ? `${plugin} not loaded: ${skipped.reason}` : undefined);
    return { available: false, reason: reason ?? `node ${nodeId} has no plugin ${plugin}` };
  }
  if (!Object.hasOwn(advertised.manifest.actions, action)) {
    return { available: false, reason: `plugin ${plugin} on node ${nodeId} has no action ${action}` };
  }
  const health = healthOf(session, plugin);
  if (!health) return { available: true };
  const exception =
    health.actions && Object.hasOwn(health.actions, action) ? health.actions[action] : undefined;
  const verdict = exception ?? health;
  return verdict.reason === undefined
    ? { available: verdict.available }
    : { available: verdict.available, reason: verdict.reason };
}

/** The last health check of one plugin on a node. */
export function healthOf(session: NodeSession, plugin: string): PluginHealth | undefined {
  return session.health?.find((h) => h.plugin === plugin);
}
