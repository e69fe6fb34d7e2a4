import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect } from 'preact/hooks';
import {
  OpenClawApiError,
  type ExecSuccess,
  type FanOutResponse,
  type NodeDetail,
} from '@openclaw-node/client';
import { isOpenClawError, type JsonSchema, type Platform } from '@openclaw-node/core';
import { catalog, loadCatalog, unavailableReason } from '../state/catalog.js';
import { membership, rows } from '../state/fleet.js';
import { href, navigate } from '../state/router.js';
import { api, describeError, handleAuthError, session } from '../state/session.js';
import { defaultsOf } from '../form/schema.js';
import { allowedPathsHint } from '../form/path-hint.js';
import { SchemaFields } from '../form/SchemaForm.js';
import { plain } from '../format.js';
import { ErrorBox, Json, Loading } from './common.js';

type Mode = 'node' | 'fanout';
const PLATFORMS: Platform[] = ['linux', 'darwin', 'windows'];

/**
 * Run an action: on one node (the actions this token may run there, the node's own schema), or on
 * every node a target matches (tags, platform; the action's plugin), with a preview of which match
 * and which cannot run it. Only offered to tokens that may run actions; the server decides anyway.
 */
export function RunPage({ query }: { query: URLSearchParams }) {
  const me = session.value!.me;
  const mode = useSignal<Mode>(query.get('mode') === 'fanout' ? 'fanout' : 'node');
  const nodeId = useSignal(query.get('node') ?? '');
  const action = useSignal(query.get('action') ?? '');
  const tags = useSignal(query.get('tags') ?? '');
  const platform = useSignal(query.get('platform') ?? '');
  const wait = useSignal(false);
  const queue = useSignal(false);
  const timeout = useSignal('');
  const params = useSignal<Record<string, unknown>>({});
  const node = useSignal<NodeDetail | null>(null);
  const allowed = useSignal<string[] | null>(null);
  const busy = useSignal(false);
  const errors = useSignal<Map<string, string>>(new Map());
  const failure = useSignal<{ message: string; jobId?: string } | null>(null);
  const success = useSignal<ExecSuccess | null>(null);
  const batch = useSignal<FanOutResponse | null>(null);

  useEffect(() => void loadCatalog(), []);
  useEffect(() => {
    node.value = null;
    allowed.value = null;
    if (mode.value !== 'node' || !nodeId.value) return;
    let live = true;
    Promise.all([api().node(nodeId.value), api().me({ node: nodeId.value })]).then(
      ([detail, mine]) => {
        if (!live) return;
        node.value = detail;
        allowed.value = mine.node_actions?.actions ?? [];
      },
      (e: unknown) => {
        if (live && !handleAuthError(e)) failure.value = { message: describeError(e) };
      },
    );
    return () => void (live = false);
  }, [mode.value, nodeId.value]);

  const actionSchema = useComputed((): { params: JsonSchema; description: string } | undefined => {
    const [plugin, ...rest] = action.value.split('.');
    const name = rest.join('.');
    if (!plugin || !name) return undefined;
    if (mode.value === 'node') {
      const manifest = node.value?.manifests.find((m) => m.name === plugin);
      const a = manifest?.actions[name];
      return a ? { params: a.params, description: a.description } : undefined;
    }
    const a = catalog.value?.find((p) => p.name === plugin)?.actions[name];
    return a ? { params: a.params, description: a.description } : undefined;
  });

  // Changing the action starts from its defaults — in the same task as the render that shows its
  // fields, so nothing typed into them in between is wiped (a plain effect runs a frame later).
  useLayoutEffect(() => {
    params.value = defaultsOf(actionSchema.value?.params);
    errors.value = new Map();
  }, [action.value, actionSchema.value]);

  const nodeChoices = useComputed(() => {
    void membership.value;
    return [...rows.values()]
      .map((r) => r.peek())
      .filter((r) => r.online)
      .map((r) => r.node.node_id)
      .sort();
  });

  const actionChoices = useComputed(() => {
    if (mode.value === 'node') return allowed.value ?? [];
    const ids: string[] = [];
    for (const p of catalog.value ?? [])
      for (const name of Object.keys(p.actions)) ids.push(`${p.name}.${name}`);
    return ids.sort();
  });

  const preview = useComputed(() => {
    void membership.value;
    const plugin = action.value.split('.')[0] ?? '';
    const wanted = tags.value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const match: string[] = [];
    const unavailable: { node: string; reason: string }[] = [];
    if (mode.value !== 'fanout' || !plugin) return { match, unavailable };
    for (const row of rows.values()) {
      const { node: n, online } = row.peek();
      if (!online || !n.plugins.includes(plugin)) continue;
      if (platform.value && n.platform !== platform.value) continue;
      if (!wanted.every((t) => n.tags.includes(t))) continue;
      if (n.unavailable?.includes(plugin)) {
        unavailable.push({ node: n.node_id, reason: unavailableReason(plugin, n.node_id) ?? 'unavailable' });
      } else match.push(n.node_id);
    }
    match.sort();
    return { match, unavailable };
  });

  if (!me.can_exec) {
    return (
      <section class="page">
        <h1>Run an action</h1>
        <ErrorBox>
          The token “{me.name}” ({me.roles.join(', ')}) cannot run actions: that needs the operator or admin
          role.
        </ErrorBox>
      </section>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    busy.value = true;
    errors.value = new Map();
    failure.value = null;
    success.value = null;
    batch.value = null;
    const t = timeout.value.trim() === '' ? undefined : Number(timeout.value);
    const common = {
      action: action.value,
      params: params.value,
      wait: wait.value,
      ...(queue.value ? { queue: true } : {}),
      ...(t === undefined ? {} : { timeout: t }),
    };
    try {
      if (mode.value === 'node') {
        const answer = await api().exec(nodeId.value, common);
        if (answer.status === 'accepted') navigate(href(['jobs', answer.command_id]));
        else success.value = answer;
      } else {
        const target = {
          plugin: action.value.split('.')[0]!,
          ...(platform.value ? { platform: platform.value as Platform } : {}),
          ...(tags.value.trim()
            ? {
                tags: tags.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }
            : {}),
        };
        batch.value = await api().execMany({ target, ...common });
      }
    } catch (e) {
      if (handleAuthError(e)) return;
      const found = new Map<string, string>();
      if (isOpenClawError(e)) {
        const details = e.details ?? {};
        const list = Array.isArray(details.errors)
          ? (details.errors as { field?: unknown; message?: unknown }[])
          : [];
        for (const item of list) {
          if (typeof item.field === 'string' && typeof item.message === 'string')
            found.set(item.field, item.message);
        }
        if (typeof details.field === 'string' && !found.has(details.field))
          found.set(details.field, e.message);
      }
      errors.value = found;
      failure.value = {
        message: describeError(e),
        ...(e instanceof OpenClawApiError && e.commandId ? { jobId: e.commandId } : {}),
      };
    } finally {
      busy.value = false;
    }
  };

  const schema = actionSchema.value;
  const pathHint =
    mode.value === 'node' && node.value
      ? allowedPathsHint(node.value.node_id, node.value.allowed_paths)
      : undefined;
  return (
    <section class="page" aria-labelledby="run-title">
      <h1 id="run-title">Run an action</h1>
      <form class="run-form" onSubmit={(e) => void submit(e)} novalidate aria-labelledby="run-title">
        <fieldset class="field">
          <legend>Target</legend>
          <label class="check">
            <input
              type="radio"
              name="mode"
              checked={mode.value === 'node'}
              onChange={() => (mode.value = 'node')}
            />
            One node
          </label>
          <label class="check">
            <input
              type="radio"
              name="mode"
              checked={mode.value === 'fanout'}
              onChange={() => (mode.value = 'fanout')}
            />
            Every node that matches (fan-out)
          </label>
        </fieldset>
        {mode.value === 'node' ? (
          <div class="field">
            <label for="run-node">Node</label>
            <select
              id="run-node"
              value={nodeId.value}
              onChange={(e) => (nodeId.value = e.currentTarget.value)}
            >
              <option value="">choose a node…</option>
              {nodeChoices.value.map((id) => (
                <option key={id} value={id}>
                  {plain(id)}
                </option>
              ))}
              {nodeId.value && !nodeChoices.value.includes(nodeId.value) ? (
                <option value={nodeId.value}>{plain(nodeId.value)} (not connected)</option>
              ) : null}
            </select>
          </div>
        ) : (
          <div class="row">
            <div class="field">
              <label for="run-tags">Tags (all of them, comma-separated)</label>
              <input
                id="run-tags"
                value={tags.value}
                spellcheck={false}
                onInput={(e) => (tags.value = e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="run-platform">Platform</label>
              <select
                id="run-platform"
                value={platform.value}
                onChange={(e) => (platform.value = e.currentTarget.value)}
              >
                <option value="">any</option>
                {PLATFORMS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        <div class="field">
          <label for="run-action">Action</label>
          <select
            id="run-action"
            value={action.value}
            onChange={(e) => (action.value = e.currentTarget.value)}
          >
            <option value="">choose an action…</option>
            {actionChoices.value.map((id) => (
              <option key={id} value={id}>
                {plain(id)}
              </option>
            ))}
            {action.value && !actionChoices.value.includes(action.value) ? (
              <option value={action.value}>{plain(action.value)} (not offered)</option>
            ) : null}
          </select>
          {mode.value === 'node' && nodeId.value && allowed.value && allowed.value.length === 0 ? (
            <p class="hint warn">This token may run no action of this node.</p>
          ) : null}
        </div>
        {mode.value === 'fanout' && action.value ? (
          <div class="preview" role="status" aria-live="polite" aria-label="Matching nodes">
            <p>
              <strong>{preview.value.match.length}</strong> node(s) match and can run it
              {preview.value.unavailable.length
                ? `, ${preview.value.unavailable.length} match but cannot`
                : ''}
              .
            </p>
            <ul class="match-list">
              {preview.value.match.slice(0, 50).map((id) => (
                <li key={id}>{plain(id)}</li>
              ))}
              {preview.value.match.length > 50 ? <li>… and {preview.value.match.length - 50} more</li> : null}
            </ul>
            {preview.value.unavailable.length ? (
              <ul class="unavailable-list">
                {preview.value.unavailable.slice(0, 50).map((u) => (
                  <li key={u.node}>
                    {plain(u.node)}: <span class="reason">{plain(u.reason)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {schema ? (
          <fieldset class="field params">
            <legend>Parameters</legend>
            <p class="muted">{plain(schema.description)}</p>
            <SchemaFields
              schema={schema.params}
              path="params"
              value={params.value}
              onChange={(v) => (params.value = v)}
              errors={errors.value}
              {...(pathHint ? { pathHint } : {})}
            />
          </fieldset>
        ) : action.value && mode.value === 'node' && nodeId.value && !node.value ? (
          <Loading what="the action" />
        ) : null}
        <fieldset class="field options">
          <legend>Options</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={wait.value}
              onChange={(e) => (wait.value = e.currentTarget.checked)}
            />
            Wait here for the result (otherwise follow the job on its page)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={queue.value}
              onChange={(e) => (queue.value = e.currentTarget.checked)}
            />
            Queue it if the node is not connected
          </label>
          <label for="run-timeout">Timeout (seconds, optional)</label>
          <input
            id="run-timeout"
            type="number"
            min={1}
            value={timeout.value}
            onInput={(e) => (timeout.value = e.currentTarget.value)}
            aria-invalid={errors.value.has('timeout') ? true : undefined}
          />
        </fieldset>
        {failure.value ? (
          <ErrorBox>
            {plain(failure.value.message)}
            {failure.value.jobId ? (
              <>
                {' '}
                <a href={href(['jobs', failure.value.jobId])}>Open the job</a>
              </>
            ) : null}
          </ErrorBox>
        ) : null}
        <button
          type="submit"
          disabled={busy.value || !action.value || (mode.value === 'node' && !nodeId.value)}
        >
          {busy.value ? 'Running…' : mode.value === 'node' ? 'Run' : 'Run on matching nodes'}
        </button>
      </form>
      {success.value ? (
        <section class="result" aria-label="Result">
          <h2>
            Succeeded in {success.value.duration_ms} ms —{' '}
            <a href={href(['jobs', success.value.command_id])}>open the job</a>
          </h2>
          <Json value={success.value.result} label="Result" />
        </section>
      ) : null}
      {batch.value ? (
        <section class="result" aria-label="Fan-out result">
          <h2>
            {batch.value.jobs.length} job(s) started —{' '}
            <a href={href(['jobs'], { batch: batch.value.batch_id })}>follow the batch</a>
          </h2>
          <ul>
            {batch.value.jobs.map((j) => (
              <li key={j.command_id}>
                <a href={href(['jobs', j.command_id])}>{plain(j.node_id)}</a> {j.state}
              </li>
            ))}
          </ul>
          {batch.value.unavailable.length ? (
            <>
              <h3>Not run</h3>
              <ul>
                {batch.value.unavailable.map((u) => (
                  <li key={u.node_id}>
                    {plain(u.node_id)}: <span class="reason">{plain(`${u.code}: ${u.reason}`)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </section>
  );
}
