import type { CatalogPlugin, NodeDetail, NodeSummary } from '@openclaw-node/core';
import { renderTable } from './table.js';

/** Marks a plugin that cannot run on a node in the PLUGINS column: `rv✗`. */
export const UNAVAILABLE_MARK = '✗';

/** How long an agent has run, for people: `45s`, `12m`, `3h 20m`, `4d 2h`; `-` when unknown. */
export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** The node's plugins, those that cannot run marked (`explorer,nuke,rv✗`); `-` when none. */
export function pluginsCell(node: NodeSummary): string {
  const unavailable = new Set(node.unavailable ?? []);
  const names = [...new Set([...node.plugins, ...unavailable])].sort();
  return names.map((name) => (unavailable.has(name) ? `${name}${UNAVAILABLE_MARK}` : name)).join(',') || '-';
}

/** `openclaw node <id>`: one row per plugin (and per action exception) with why it cannot run. */
export function describeHealth(node: NodeDetail): string {
  const health = node.health ?? [];
  if (health.length === 0) return 'Plugin health: not reported by this agent.\n';
  const rows: string[][] = [];
  for (const h of health) {
    const detail = h.reason ?? h.app?.path ?? '';
    const withPath = h.reason && h.app?.path ? `${h.reason} (${h.app.path})` : detail;
    rows.push([h.plugin, h.available ? 'available' : 'unavailable', h.app?.version ?? '-', withPath]);
    for (const [action, verdict] of Object.entries(h.actions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      rows.push([
        `${h.plugin}.${action}`,
        verdict.available ? 'available' : 'unavailable',
        '',
        verdict.reason ?? '',
      ]);
    }
  }
  return `Plugin health:\n${renderTable(['PLUGIN', 'STATUS', 'VERSION', 'DETAIL'], rows)}`;
}

/** `2 of 3 nodes`: nodes not reported unavailable count (a plugin never checked is not held against it). */
export function availabilityCell(plugin: CatalogPlugin): string {
  const available = plugin.nodes.filter((n) => n.available !== false).length;
  return `${available} of ${plugin.nodes.length} node${plugin.nodes.length === 1 ? '' : 's'}`;
}

/** `openclaw plugins --verbose`: per plugin, each node's availability, application version and reason. */
export function describePluginNodes(plugins: readonly CatalogPlugin[]): string {
  return plugins
    .map((plugin) => {
      const rows = plugin.nodes.map((n) => [
        n.node_id,
        n.available === undefined ? 'not checked' : n.available ? 'available' : 'unavailable',
        n.app_version ?? '-',
        n.reason ?? '',
      ]);
      const table = renderTable(['NODE', 'STATUS', 'APP VERSION', 'REASON'], rows)
        .split('\n')
        .map((line) => (line ? `  ${line}` : line))
        .join('\n');
      return `${plugin.name}\n${table}`;
    })
    .join('\n');
}
