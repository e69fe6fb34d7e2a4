import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { JobStateName, JobsQuery, JobView } from '@openclaw-node/client';
import { jobActivity } from '../state/fleet.js';
import { href, navigate } from '../state/router.js';
import { api, describeError, handleAuthError } from '../state/session.js';
import { JOB_STATES, ago, duration, plain } from '../format.js';
import { ErrorBox, Loading, StateBadge } from './common.js';

const PAGE = 50;

/** `GET /api/jobs` with the API's filters and cursor; the filters live in the URL (no secrets there). */
export function JobsPage({ query }: { query: URLSearchParams }) {
  const filter: JobsQuery = {};
  const state = query.get('state');
  if (state && (JOB_STATES as readonly string[]).includes(state)) filter.state = state as JobStateName;
  for (const key of ['node', 'action', 'batch'] as const) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  const jobs = useSignal<JobView[] | null>(null);
  const cursor = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const more = useSignal(false);

  const loadFirst = () =>
    api()
      .jobs(filter, { limit: PAGE })
      .then(
        (page) => {
          // Keep what was paged in beyond the first page.
          const fresh = new Set(page.jobs.map((j) => j.command_id));
          const older = (jobs.peek() ?? []).slice(PAGE).filter((j) => !fresh.has(j.command_id));
          jobs.value = [...page.jobs, ...older];
          if (older.length === 0) cursor.value = page.next_cursor;
          error.value = null;
        },
        (e: unknown) => {
          if (!handleAuthError(e)) error.value = describeError(e);
        },
      );

  useEffect(() => void loadFirst(), []);

  // Live: a job of ours changed state: reload the first page (once per burst).
  useSignalEffect(() => {
    if (!jobActivity.value) return;
    const timer = setTimeout(() => void loadFirst(), 300);
    return () => clearTimeout(timer);
  });

  const loadMore = async () => {
    if (!cursor.value) return;
    more.value = true;
    try {
      const page = await api().jobs(filter, { limit: PAGE, cursor: cursor.value });
      jobs.value = [...(jobs.value ?? []), ...page.jobs];
      cursor.value = page.next_cursor;
    } catch (e) {
      if (!handleAuthError(e)) error.value = describeError(e);
    } finally {
      more.value = false;
    }
  };

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next: Record<string, string> = {};
    for (const key of ['state', 'node', 'action', 'batch']) {
      const raw = form.get(key);
      const value = typeof raw === 'string' ? raw.trim() : '';
      if (value) next[key] = value;
    }
    navigate(href(['jobs'], next));
  };

  return (
    <section class="page" aria-labelledby="jobs-title">
      <div class="page-head">
        <h1 id="jobs-title">Jobs</h1>
      </div>
      <form class="filters" role="search" aria-label="Filter jobs" onSubmit={apply}>
        <label>
          State
          <select name="state" value={filter.state as string | undefined}>
            <option value="">any</option>
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Node
          <input name="node" value={filter.node ?? ''} spellcheck={false} />
        </label>
        <label>
          Action
          <input name="action" value={filter.action ?? ''} spellcheck={false} placeholder="plugin.action" />
        </label>
        <label>
          Batch
          <input name="batch" value={filter.batch ?? ''} spellcheck={false} />
        </label>
        <button type="submit">Filter</button>
        <a class="button secondary" href="#/jobs">
          Clear
        </a>
      </form>
      {error.value ? <ErrorBox>{error.value}</ErrorBox> : null}
      {jobs.value === null ? (
        <Loading what="jobs" />
      ) : jobs.value.length === 0 ? (
        <p class="muted">No jobs match.</p>
      ) : (
        <table class="jobs-table" aria-label="Jobs">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Node</th>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {jobs.value.map((j) => (
              <tr key={j.command_id}>
                <td>
                  <StateBadge state={j.state} />
                  {j.state === 'running' && j.progress !== null ? (
                    <span class="muted"> {Math.round(j.progress * 100)}%</span>
                  ) : null}
                </td>
                <td>
                  <a href={href(['nodes', j.node_id])}>{plain(j.node_id)}</a>
                </td>
                <td>
                  <a
                    href={href(['jobs', j.command_id])}
                    aria-label={`Job ${j.command_id}: ${plain(j.action)} on ${plain(j.node_id)}`}
                  >
                    {plain(j.action)}
                  </a>
                </td>
                <td>{plain(j.requested_by ?? '—')}</td>
                <td title={j.created_at}>{ago(j.created_at)}</td>
                <td>{duration(j.duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor.value ? (
        <button type="button" class="secondary" disabled={more.value} onClick={() => void loadMore()}>
          {more.value ? 'Loading…' : 'Load older jobs'}
        </button>
      ) : null}
    </section>
  );
}
