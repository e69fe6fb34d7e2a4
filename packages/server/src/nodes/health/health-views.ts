import type {
  CatalogNode,
  NodeDetail,
  NodePluginHealth,
  NodeSummary,
  PluginHealth,
} from '@openclaw-node/core';
import type { NodeSession } from '../node-registry.js';
import { healthOf } from './availability.js';

type HealthSummary = Pick<NodeSummary, 'uptime_s' | 'os' | 'apps' | 'unavailable'>;

/** The facts `/api/nodes` lists per node: uptime, OS, application versions, unavailable plugins. */
export function healthSummary(session: NodeSession, now: Date = new Date()): HealthSummary {
  const summary: HealthSummary = {};
  const uptime = uptimeSeconds(session, now);
  if (uptime !== undefined) summary.uptime_s = uptime;
  if (session.os !== undefined) summary.os = session.os;
  const health = session.health ?? [];
  summary.apps = Object.fromEntries(health.filter((h) => h.app).map((h) => [h.plugin, { ...h.app! }]));
  summary.unavailable = health
    .filter((h) => !h.available)
    .map((h) => h.plugin)
    .sort();
  return summary;
}

/** Seconds since the agent process started, if it said when. */
export function uptimeSeconds(session: NodeSession, now: Date = new Date()): number | undefined {
  return session.startedAt ? uptimeBetween(session.startedAt.getTime(), now.getTime()) : undefined;
}

/** Whole seconds from a start to now, in ms since the epoch. */
export function uptimeBetween(startedMs: number, nowMs: number): number {
  // Agent and server clocks may disagree; an uptime is never negative.
  return Math.max(0, Math.floor((nowMs - startedMs) / 1000));
}

/** What `/api/nodes/:id` adds: when the agent started and every plugin's health, snake_case. */
export function healthDetail(session: NodeSession): Pick<NodeDetail, 'started_at' | 'health'> {
  const detail: Pick<NodeDetail, 'started_at' | 'health'> = {
    health: (session.health ?? []).map(toNodePluginHealth),
  };
  if (session.startedAt) detail.started_at = session.startedAt.toISOString();
  return detail;
}

/** A plugin's availability on one node, for its entry in `/api/plugins`. */
export function catalogHealth(
  session: NodeSession,
  plugin: string,
): Pick<CatalogNode, 'available' | 'reason' | 'app_version'> {
  const health = healthOf(session, plugin);
  if (!health) return {};
  const view: Pick<CatalogNode, 'available' | 'reason' | 'app_version'> = { available: health.available };
  if (health.reason !== undefined) view.reason = health.reason;
  if (health.app?.version !== undefined) view.app_version = health.app.version;
  return view;
}

function toNodePluginHealth(health: PluginHealth): NodePluginHealth {
  const view: NodePluginHealth = {
    plugin: health.plugin,
    available: health.available,
    checked_at: health.checkedAt,
  };
  if (health.reason !== undefined) view.reason = health.reason;
  if (health.app) view.app = { ...health.app };
  if (health.actions) view.actions = structuredClone(health.actions);
  return view;
}
