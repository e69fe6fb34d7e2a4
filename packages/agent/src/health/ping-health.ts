import type { PluginHealth } from '@openclaw-node/core';

/** Longest reason the agent reports; the server caps it too. */
export const MAX_REASON = 1000;
/** How many searched places a reason names before "and N more". */
const MAX_SEARCHED = 4;

type ActionHealth = NonNullable<PluginHealth['actions']>[string];

/**
 * Read a plugin's `ping` result as health. The built-in pings answer
 * `{ ok, available, app: { path, version } | null, reason?, searched?, actions? }`; anything that
 * does not say `available` is reported as unknown (available, with a reason saying so).
 */
export function healthFromPing(
  plugin: string,
  result: unknown,
  actionNames: readonly string[],
  checkedAt: string,
): PluginHealth {
  const ping = isRecord(result) ? result : {};
  if (typeof ping.available !== 'boolean') {
    return {
      plugin,
      available: true,
      reason: 'unknown: its ping action did not say whether it is available',
      checkedAt,
    };
  }
  const health: PluginHealth = { plugin, available: ping.available, checkedAt };
  const app = readApp(ping.app);
  if (app) health.app = app;
  const reason = readReason(ping, health.available);
  if (reason) health.reason = reason;
  const actions = readActions(ping.actions, actionNames);
  if (actions) health.actions = actions;
  return health;
}

/** The reason, with where the plugin looked when it did not find its application. */
function readReason(ping: Record<string, unknown>, available: boolean): string | undefined {
  let reason = typeof ping.reason === 'string' && ping.reason.trim() !== '' ? ping.reason.trim() : undefined;
  if (!available) reason ??= 'the plugin reported that it cannot run here';
  if (reason === undefined) return undefined;
  const searched = Array.isArray(ping.searched)
    ? ping.searched.filter((place): place is string => typeof place === 'string' && place !== '')
    : [];
  if (!available && searched.length > 0 && !reason.includes('looked in')) {
    const shown = searched.slice(0, MAX_SEARCHED).join(', ');
    const more = searched.length > MAX_SEARCHED ? ` and ${searched.length - MAX_SEARCHED} more` : '';
    reason = `${reason} (looked in ${shown}${more})`;
  }
  return cap(reason);
}

function readApp(value: unknown): PluginHealth['app'] | undefined {
  if (!isRecord(value) || typeof value.path !== 'string' || value.path === '') return undefined;
  return typeof value.version === 'string' && value.version !== ''
    ? { path: value.path, version: value.version }
    : { path: value.path };
}

/** Per-action exceptions a ping may report, kept only for actions the plugin has. */
function readActions(
  value: unknown,
  actionNames: readonly string[],
): Record<string, ActionHealth> | undefined {
  if (!isRecord(value)) return undefined;
  const actions: Record<string, ActionHealth> = {};
  for (const name of actionNames) {
    const entry = Object.hasOwn(value, name) ? value[name] : undefined;
    if (!isRecord(entry) || typeof entry.available !== 'boolean') continue;
    actions[name] =
      typeof entry.reason === 'string' && entry.reason !== ''
        ? { available: entry.available, reason: cap(entry.reason) }
        : { available: entry.available };
  }
  return Object.keys(actions).length > 0 ? actions : undefined;
}

/** Trim a reason to MAX_REASON characters. */
export function cap(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
