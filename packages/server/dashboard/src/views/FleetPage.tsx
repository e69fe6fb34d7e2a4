import { useComputed, useSignal, type Signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { catalog, loadCatalog, unavailableReason } from '../state/catalog.js';
import { fleetState, membership, rows, type FleetRow } from '../state/fleet.js';
import { href } from '../state/router.js';
import { ago, plain } from '../format.js';
import { OnlineBadge, Tags } from './common.js';
import { VirtualList } from './VirtualList.js';

const ROW_HEIGHT = 44;

interface Filters {
  text: string;
  tag: string;
  platform: string;
  plugin: string;
  status: 'all' | 'online' | 'offline';
}

function matches(row: FleetRow, f: Filters): boolean {
  const { node } = row;
  if (f.status === 'online' && !row.online) return false;
  if (f.status === 'offline' && row.online) return false;
  if (f.platform && node.platform !== f.platform) return false;
  if (f.plugin && !node.plugins.includes(f.plugin)) return false;
  if (f.tag && !node.tags.includes(f.tag)) return false;
  if (f.text) {
    const text = f.text.toLowerCase();
    if (!node.node_id.toLowerCase().includes(text) && !node.hostname.toLowerCase().includes(text))
      return false;
  }
  return true;
}

export function FleetPage() {
  const filters = useSignal<Filters>({ text: '', tag: '', platform: '', plugin: '', status: 'all' });
  useEffect(() => void loadCatalog(), []);
  // Recomputed when nodes come, go or change (once per frame at most) or a filter changes.
  const visible = useComputed(() => {
    void membership.value;
    const f = filters.value;
    const ids: string[] = [];
    for (const [id, row] of rows) if (matches(row.peek(), f)) ids.push(id);
    return ids.sort();
  });
  const facets = useComputed(() => {
    void membership.value;
    const tags = new Set<string>();
    const plugins = new Set<string>();
    const platforms = new Set<string>();
    let online = 0;
    for (const row of rows.values()) {
      const { node } = row.peek();
      node.tags.forEach((t) => tags.add(t));
      node.plugins.forEach((p) => plugins.add(p));
      platforms.add(node.platform);
      if (row.peek().online) online += 1;
    }
    return { tags: [...tags].sort(), plugins: [...plugins].sort(), platforms: [...platforms].sort(), online };
  });
  const set = (patch: Partial<Filters>) => (filters.value = { ...filters.value, ...patch });
  const f = filters.value;
  return (
    <section class="page fleet" aria-labelledby="fleet-title">
      <div class="page-head">
        <h1 id="fleet-title">Fleet</h1>
        <p class="muted" role="status" aria-live="polite">
          {fleetState.value === 'loading'
            ? 'Loading nodes…'
            : `${facets.value.online} online · ${rows.size} known · ${visible.value.length} shown`}
        </p>
      </div>
      <form class="filters" role="search" aria-label="Filter nodes" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            placeholder="node id or hostname"
            value={f.text}
            onInput={(e) => set({ text: e.currentTarget.value })}
          />
        </label>
        <label>
          Tag
          <select value={f.tag} onChange={(e) => set({ tag: e.currentTarget.value })}>
            <option value="">any</option>
            {facets.value.tags.map((t) => (
              <option key={t} value={t}>
                {plain(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Platform
          <select value={f.platform} onChange={(e) => set({ platform: e.currentTarget.value })}>
            <option value="">any</option>
            {facets.value.platforms.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Plugin
          <select value={f.plugin} onChange={(e) => set({ plugin: e.currentTarget.value })}>
            <option value="">any</option>
            {facets.value.plugins.map((p) => (
              <option key={p} value={p}>
                {plain(p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select
            value={f.status}
            onChange={(e) => set({ status: e.currentTarget.value as Filters['status'] })}
          >
            <option value="all">all</option>
            <option value="online">online</option>
            <option value="offline">offline</option>
          </select>
        </label>
      </form>
      <div class="fleet-head" aria-hidden="true">
        <span>Status</span>
        <span>Node</span>
        <span>Platform</span>
        <span>Agent</span>
        <span>Tags</span>
        <span>Plugins</span>
        <span>Running</span>
        <span>Last seen</span>
      </div>
      <VirtualList
        ids={visible.value}
        rowHeight={ROW_HEIGHT}
        label="Nodes"
        renderRow={(id) => {
          const row = rows.get(id);
          return row ? <NodeRow row={row} /> : null;
        }}
      />
    </section>
  );
}

/** Subscribes to its own node's signal only: an event re-renders this row, not the list. */
function NodeRow({ row }: { row: Signal<FleetRow> }) {
  const { node, online } = row.value;
  void catalog.value;
  const unavailable = new Set(node.unavailable ?? []);
  return (
    <a
      class={`fleet-row${online ? '' : ' is-offline'}`}
      href={href(['nodes', node.node_id])}
      aria-label={`${plain(node.node_id)}, ${online ? 'online' : 'offline'}, ${node.platform}`}
    >
      <span>
        <OnlineBadge online={online} />
      </span>
      <span class="node-name">
        <strong>{plain(node.node_id)}</strong>
        {node.hostname !== node.node_id ? <span class="muted"> {plain(node.hostname)}</span> : null}
      </span>
      <span>
        {node.platform} <span class="muted">{plain(node.arch)}</span>
      </span>
      <span class="muted">{plain(node.agent_version)}</span>
      <Tags tags={node.tags} />
      <span class="plugins">
        {node.plugins.map((p) => {
          const down = unavailable.has(p);
          const app = node.apps?.[p];
          const reason = down ? unavailableReason(p, node.node_id) : undefined;
          return (
            <span
              key={p}
              class={`plugin${down ? ' down' : ''}`}
              title={
                down
                  ? `${p}: unavailable — ${plain(reason ?? 'see the node page')}`
                  : app?.version
                    ? `${p} ${app.version}`
                    : p
              }
            >
              {plain(p)}
              {app?.version ? <span class="muted"> {plain(app.version)}</span> : null}
              {down ? <span class="sr-only"> (unavailable)</span> : null}
            </span>
          );
        })}
      </span>
      <span>
        {node.pending_commands > 0 ? <span class="badge state-running">{node.pending_commands}</span> : '0'}
      </span>
      <span class="muted">{online ? ago(node.last_seen_at) : 'disconnected'}</span>
    </a>
  );
}
