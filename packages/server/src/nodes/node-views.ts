import type { NodeDetail, NodeSummary } from '@openclaw-node/core';
import { healthDetail, healthSummary } from './health/health-views.js';
import type { NodeSession } from './node-registry.js';
import { toPendingJob, type PendingJobs } from '../jobs/pending-jobs.js';

/**
 * A node as listed by `GET /api/nodes`. NodeListBody reuses its JSON until the session's health
 * changes (only last_seen_at, pending_commands and uptime_s are per request): derive new fields from those.
 */
export function toNodeSummary(session: NodeSession, pendingCommands: number): NodeSummary {
  return {
    node_id: session.nodeId,
    hostname: session.hostname,
    platform: session.platform,
    arch: session.arch,
    agent_version: session.agentVersion,
    tags: session.tags,
    plugins: [...session.plugins.keys()].sort(),
    status: 'online',
    connected_at: session.connectedAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    pending_commands: pendingCommands,
    ...(session.limits
      ? {
          limits: {
            max_concurrent_jobs: session.limits.maxConcurrentJobs,
            max_queued_jobs: session.limits.maxQueuedJobs,
          },
        }
      : {}),
    ...healthSummary(session),
  };
}

/** A node as shown by `GET /api/nodes/:id`: with manifests, skipped plugins and jobs in flight. */
export function toNodeDetail(session: NodeSession, jobs: PendingJobs): NodeDetail {
  const inFlight = jobs.forNode(session.nodeId);
  const summary = toNodeSummary(session, inFlight.length);
  return {
    ...summary,
    last_heartbeat: summary.last_seen_at,
    manifests: [...session.plugins.values()]
      .map((p) => p.manifest)
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    skipped_plugins: session.skipped,
    pending_jobs: inFlight.map(toPendingJob),
    ...healthDetail(session),
    ...(session.allowedPaths ? { allowed_paths: session.allowedPaths } : {}),
  };
}
