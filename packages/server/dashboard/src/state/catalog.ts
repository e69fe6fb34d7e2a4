import { signal } from '@preact/signals';
import type { CatalogPlugin } from '@openclaw-node/client';
import { api, handleAuthError, onSignOut } from './session.js';

/** `GET /api/plugins`: actions, schemas, and why a plugin is unavailable on each node. */
export const catalog = signal<CatalogPlugin[] | null>(null);
let loading: Promise<void> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export function loadCatalog(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = api()
    .plugins()
    .then(
      (answer) => {
        catalog.value = answer.plugins;
      },
      (error: unknown) => {
        loading = undefined;
        handleAuthError(error);
      },
    );
  return loading;
}

/** Reload soon (health changed somewhere); bursts of events cost one request. */
export function refreshCatalogSoon(): void {
  if (refreshTimer || !catalog.value) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void loadCatalog(true);
  }, 1000);
}

/** Why `plugin` cannot run on `nodeId`, as its agent said; undefined when it can or nobody said. */
export function unavailableReason(plugin: string, nodeId: string): string | undefined {
  const entry = catalog.value?.find((p) => p.name === plugin)?.nodes.find((n) => n.node_id === nodeId);
  return entry && entry.available === false ? (entry.reason ?? 'unavailable') : undefined;
}

onSignOut(() => {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  loading = undefined;
  catalog.value = null;
});
