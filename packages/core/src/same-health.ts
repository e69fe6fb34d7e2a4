import type { PluginHealth } from './protocol.js';

/**
 * True when two health reports say the same to a reader: the same plugins with the same
 * availability, reasons, application path and version and per-action answers, in any order.
 * When each plugin was checked (`checkedAt`) is ignored. The agent uses it to send
 * `node:health` only on a change, the server to skip an event that changes nothing.
 */
export function sameHealth(a: readonly PluginHealth[], b: readonly PluginHealth[]): boolean {
  if (a.length !== b.length) return false;
  const left = a.map(healthKey).sort();
  const right = b.map(healthKey).sort();
  return left.every((key, i) => key === right[i]);
}

function healthKey(health: PluginHealth): string {
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
