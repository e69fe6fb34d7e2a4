import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { JobView, MeResponse, NodeDetail } from '@openclaw-node/client';
import { jobActivity, rows } from '../state/fleet.js';
import { href } from '../state/router.js';
import { api, describeError, handleAuthError } from '../state/session.js';
import { ago, duration, plain, uptime } from '../format.js';
import { ErrorBox, Loading, OnlineBadge, StateBadge, Tags } from './common.js';

export function NodePage({ nodeId }: { nodeId: string }) {
  const detail = useSignal<NodeDetail | null>(null);
  const may = useSignal<MeResponse['node_actions'] | null>(null);
  const recent = useSignal<JobView[]>([]);
  const error = useSignal<string | null>(null);
  const reload = useSignal(0);

  useEffect(() => {
    let live = true;
    const client = api();
    Promise.all([
      client.node(nodeId),
      client.me({ node: nodeId }),
      client.jobs({ node: nodeId }, { limit: 15 }),
    ]).then(
      ([d, me, jobs]) => {
        if (!live) return;
        detail.value = d;
        may.value = me.node_actions ?? null;
        recent.value = jobs.jobs;
        error.value = null;
      },
      (e: unknown) => {
        if (!live || handleAuthError(e)) return;
        error.value = describeError(e);
      },
    );
    return () => void (live = false);
  }, [nodeId, reload.value]);

  // The node's own changes (up, down, health) and its jobs' state changes reload this page.
  useSignalEffect(() => {
    void rows.get(nodeId)?.value;
    const job = jobActivity.value;
    if (job && job.node_id !== nodeId) return;
    const timer = setTimeout(() => (reload.value = reload.peek() + 1), 250);
    return () => clearTimeout(timer);
  });

  const row = rows.get(nodeId)?.value;
  const online = row ? row.online : detail.value !== null;
  if (error.value && !detail.value) {
    return (
      <section class="page">
        <h1>{plain(nodeId)}</h1>
        <OnlineBadge online={false} />
        <ErrorBox>{error.value}</ErrorBox>
        <RecentJobs jobs={recent.value} />
      </section>
    );
  }
  const d = detail.value;
  if (!d) return <Loading what={`node ${plain(nodeId)}`} />;
  const allowed = new Set(may.value?.actions ?? []);
  const health = new Map((d.health ?? []).map((h) => [h.plugin, h]));
  return (
    <section class="page" aria-labelledby="node-title">
      <p class="crumbs">
        <a href="#/">Fleet</a> / {plain(d.node_id)}
      </p>
      <div class="page-head">
        <h1 id="node-title">{plain(d.node_id)}</h1>
        <OnlineBadge online={online} />
      </div>
      <dl class="facts">
        <dt>Hostname</dt>
        <dd>{plain(d.hostname)}</dd>
        <dt>Platform</dt>
        <dd>
          {d.platform} {plain(d.arch)} {d.os ? <span class="muted">({plain(d.os)})</span> : null}
        </dd>
        <dt>Agent</dt>
        <dd>{plain(d.agent_version)}</dd>
        <dt>Tags</dt>
        <dd>
          <Tags tags={d.tags} />
        </dd>
        <dt>Connected</dt>
        <dd>{ago(d.connected_at)}</dd>
        <dt>Uptime</dt>
        <dd>{uptime(d.uptime_s)}</dd>
        {d.limits ? (
          <>
            <dt>Job limits</dt>
            <dd>
              {d.limits.max_concurrent_jobs} at once, {d.limits.max_queued_jobs} queued
            </dd>
          </>
        ) : null}
      </dl>

      <h2>Plugins and actions</h2>
      {d.manifests.map((m) => {
        const h = health.get(m.name);
        return (
          <article class="plugin-card" key={m.name} aria-label={`Plugin ${plain(m.name)}`}>
            <header>
              <h3>
                {plain(m.name)} <span class="muted">{plain(m.version)}</span>
              </h3>
              {h ? (
                h.available ? (
                  <span class="badge online">available</span>
                ) : (
                  <span class="badge state-failed">unavailable</span>
                )
              ) : (
                <span class="badge">not checked</span>
              )}
            </header>
            <p class="muted">{plain(m.description)}</p>
            {h && !h.available && h.reason ? <p class="reason">Why: {plain(h.reason)}</p> : null}
            {h?.app ? (
              <p class="muted">
                App: {plain(h.app.path)} {h.app.version ? plain(h.app.version) : ''}
              </p>
            ) : null}
            <ul class="actions">
              {Object.entries(m.actions).map(([name, action]) => {
                const id = `${m.name}.${name}`;
                const actionHealth = h?.actions?.[name];
                return (
                  <li key={name}>
                    <code>{plain(id)}</code> <span class="muted">{plain(action.description)}</span>
                    {actionHealth && !actionHealth.available ? (
                      <span class="reason"> — unavailable: {plain(actionHealth.reason ?? '')}</span>
                    ) : null}
                    {allowed.has(id) ? (
                      <a class="button small" href={href(['run'], { node: d.node_id, action: id })}>
                        Run<span class="sr-only"> {plain(id)}</span>
                      </a>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </article>
        );
      })}

      {d.skipped_plugins.length > 0 ? (
        <>
          <h2>Skipped plugins</h2>
          <ul class="skipped">
            {d.skipped_plugins.map((s, i) => (
              <li key={i}>
                <strong>{plain(s.name)}</strong>: {plain(s.reason)}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Running jobs</h2>
      {d.pending_jobs.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="running">
          {d.pending_jobs.map((j) => (
            <li key={j.command_id}>
              <a href={href(['jobs', j.command_id])}>{plain(j.action)}</a>{' '}
              <span class="muted">
                {ago(j.started_at)} {j.progress !== undefined ? `${Math.round(j.progress * 100)}%` : ''}{' '}
                {plain(j.message ?? '')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <RecentJobs jobs={recent.value} />
    </section>
  );
}

function RecentJobs({ jobs }: { jobs: JobView[] }) {
  return (
    <>
      <h2>Recent jobs</h2>
      {jobs.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table class="jobs-table">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.command_id}>
                <td>
                  <StateBadge state={j.state} />
                </td>
                <td>
                  <a href={href(['jobs', j.command_id])}>{plain(j.action)}</a>
                </td>
                <td>{plain(j.requested_by ?? '—')}</td>
                <td>{ago(j.created_at)}</td>
                <td>{duration(j.duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
