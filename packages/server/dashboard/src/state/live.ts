import type { LiveEventView } from '@openclaw-node/client';
import { refreshCatalogSoon } from './catalog.js';
import { applyLiveEvent, clearFleet, fleetState, loadFleet, setRunning } from './fleet.js';
import { api, handleAuthError, onSignOut } from './session.js';

let controller: AbortController | undefined;
const runningRefresh = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * Keep the fleet live while signed in: follow `GET /api/events` (fetch with the token in the
 * Authorization header: an EventSource could only carry it in the URL), load the node list once the
 * stream is open, and after a break reload and follow again.
 */
export function startLive(): void {
  stopLive();
  const current = new AbortController();
  controller = current;
  void (async () => {
    let delay = 500;
    while (!current.signal.aborted) {
      try {
        // The stream listens first (`ready`) and holds what happens while the list loads.
        const events = api().liveEvents({ signal: current.signal })[Symbol.asyncIterator]();
        const ready = await events.next();
        if (ready.done) throw new Error('The event stream ended at once');
        const list = await api().nodes({ signal: current.signal });
        loadFleet(list.nodes);
        fleetState.value = 'live';
        delay = 500;
        for (let next = await events.next(); !next.done; next = await events.next()) apply(next.value);
      } catch (error) {
        if (current.signal.aborted || handleAuthError(error)) return;
      }
      if (current.signal.aborted) return;
      fleetState.value = 'reconnecting';
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  })();
}

function apply(event: LiveEventView): void {
  applyLiveEvent(event);
  if (event.type === 'job') scheduleRunningRefresh(event.node_id);
  if (event.type === 'node' && event.op !== 'down') refreshCatalogSoon();
}

/** A job started or ended on a node: re-read its running count (once per burst). */
function scheduleRunningRefresh(nodeId: string): void {
  if (runningRefresh.has(nodeId)) return;
  runningRefresh.set(
    nodeId,
    setTimeout(() => {
      runningRefresh.delete(nodeId);
      api()
        .node(nodeId)
        .then(
          (detail) => setRunning(nodeId, detail.pending_jobs.length),
          (error: unknown) => void handleAuthError(error),
        );
    }, 300),
  );
}

export function stopLive(): void {
  controller?.abort();
  controller = undefined;
  for (const timer of runningRefresh.values()) clearTimeout(timer);
  runningRefresh.clear();
}

onSignOut(() => {
  stopLive();
  clearFleet();
});
