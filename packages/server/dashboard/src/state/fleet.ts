import { signal, type Signal } from '@preact/signals';
import type { JobStateName, LiveEventView, NodeSummary } from '@openclaw-node/client';

/** One row of the fleet: the node's last summary, and whether it is still connected. */
export interface FleetRow {
  node: NodeSummary;
  online: boolean;
}

/**
 * The fleet as the page knows it. Each node has its own signal, so an event re-renders only that
 * node's row (if it is on screen); `membership` changes when nodes come, go or change what the
 * filters look at, and the (virtualised) list recomputes only then.
 */
export const rows = new Map<string, Signal<FleetRow>>();
export const membership = signal(0);
export const fleetState = signal<'loading' | 'live' | 'reconnecting'>('loading');
/** Bumped on every job state event: pages showing jobs refresh what they show. */
export const jobActivity = signal<{ job_id: string; node_id: string; state: JobStateName } | null>(null);

let bumpQueued = false;
/** Membership changes are coalesced per frame: 10,000 nodes connecting recompute the list a few times, not 10,000. */
function bumpMembership(): void {
  if (bumpQueued) return;
  bumpQueued = true;
  requestAnimationFrame(() => {
    bumpQueued = false;
    membership.value += 1;
  });
}

export function clearFleet(): void {
  rows.clear();
  membership.value += 1;
  fleetState.value = 'loading';
}

/** Replace the whole fleet with a fresh `GET /api/nodes`; nodes gone since are kept, offline. */
export function loadFleet(nodes: readonly NodeSummary[]): void {
  const seen = new Set<string>();
  for (const node of nodes) {
    seen.add(node.node_id);
    upsert(node, true);
  }
  for (const [id, row] of rows)
    if (!seen.has(id) && row.value.online) row.value = { ...row.value, online: false };
  membership.value += 1;
}

function upsert(node: NodeSummary, online: boolean): boolean {
  const row = rows.get(node.node_id);
  if (row) {
    row.value = { node, online };
    return false;
  }
  rows.set(node.node_id, signal({ node, online }));
  return true;
}

/** Apply one live event. */
export function applyLiveEvent(event: LiveEventView): void {
  if (event.type === 'ready') return;
  if (event.type === 'job') {
    jobActivity.value = { job_id: event.job_id, node_id: event.node_id, state: event.state };
    return;
  }
  if (event.op === 'down') {
    const row = rows.get(event.node_id);
    if (row) row.value = { ...row.value, online: false };
  } else {
    upsert(event.node, true);
  }
  // Online state, tags, plugins and health feed the filters.
  bumpMembership();
}

/** Update one node's running-job count from its detail, without touching the rest. */
export function setRunning(nodeId: string, pending: number): void {
  const row = rows.get(nodeId);
  if (row && row.value.node.pending_commands !== pending) {
    row.value = { ...row.value, node: { ...row.value.node, pending_commands: pending } };
  }
}
