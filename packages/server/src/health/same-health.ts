import type { PluginHealth } from '@openclaw-node/core';

/** Equal health but for when it was checked, in any order: nothing a reader would see changed. */
export function sameHealth(a: readonly PluginHealth[], b: readonly PluginHealth[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(key));
  return b.every((entry) => keys.has(key(entry)));
}

function key(health: PluginHealth): string {
  const actions = health.actions
    ? Object.keys(health.actions)
        .sort()
        .map((name) => [name, health.actions![name]!.available, health.actions![name]!.reason ?? null])
    : null;
  return JSON.stringify([
    health.plugin,
    health.available,
    health.reason ?? null,
    health.app?.path ?? null,
    health.app?.version ?? null,
    actions,
  ]);
}
