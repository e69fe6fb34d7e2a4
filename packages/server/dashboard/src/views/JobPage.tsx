import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { JobView } from '@openclaw-node/client';
import { href } from '../state/router.js';
import { api, describeError, handleAuthError, session } from '../state/session.js';
import { ago, duration, isTerminal, plain } from '../format.js';
import { ErrorBox, Json, Loading, StateBadge } from './common.js';

const MAX_LOG_LINES = 1000;

/** One job, live from its event stream (fetch with the token in a header), with Cancel. */
export function JobPage({ jobId }: { jobId: string }) {
  const job = useSignal<JobView | null>(null);
  const log = useSignal<string[]>([]);
  const error = useSignal<string | null>(null);
  const cancelling = useSignal(false);
  const cancelError = useSignal<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const client = api();
    void (async () => {
      try {
        const first = await client.job(jobId, { signal: controller.signal });
        job.value = first;
        log.value = first.log_tail;
        if (isTerminal(first.state)) return;
        // Follow from the start: the log tail comes again as events, so start the log from them.
        log.value = [];
        for await (const event of client.events(jobId, { signal: controller.signal })) {
          const current: JobView | null = job.value;
          if (!current) continue;
          if (event.type === 'log') {
            log.value = [...log.value, ...event.data.lines].slice(-MAX_LOG_LINES);
          } else if (event.type === 'progress') {
            job.value = { ...current, progress: event.data.progress, message: event.data.message };
          } else {
            job.value = { ...current, state: event.data.state, error: event.data.error ?? current.error };
          }
        }
        // Ended: the stored record has the result, error and duration.
        job.value = await client.job(jobId, { signal: controller.signal });
      } catch (e) {
        if (controller.signal.aborted || handleAuthError(e)) return;
        error.value = describeError(e);
      }
    })();
    return () => controller.abort();
  }, [jobId]);

  const cancel = async () => {
    cancelling.value = true;
    cancelError.value = null;
    try {
      job.value = await api().cancel(jobId);
    } catch (e) {
      if (!handleAuthError(e)) cancelError.value = describeError(e);
    } finally {
      cancelling.value = false;
    }
  };

  const j = job.value;
  if (!j) return error.value ? <ErrorBox>{error.value}</ErrorBox> : <Loading what="the job" />;
  const done = isTerminal(j.state);
  const percent = j.progress === null ? null : Math.round(j.progress * 100);
  return (
    <section class="page" aria-labelledby="job-title">
      <p class="crumbs">
        <a href="#/jobs">Jobs</a> / {j.command_id}
      </p>
      <div class="page-head">
        <h1 id="job-title">{plain(j.action)}</h1>
        <span data-testid="job-state">
          <StateBadge state={j.state} />
        </span>
        {!done && session.value?.me.can_exec ? (
          <button type="button" class="danger" disabled={cancelling.value} onClick={() => void cancel()}>
            {cancelling.value ? 'Cancelling…' : 'Cancel job'}
          </button>
        ) : null}
      </div>
      {cancelError.value ? <ErrorBox>{cancelError.value}</ErrorBox> : null}
      {error.value ? <ErrorBox>{error.value}</ErrorBox> : null}
      <dl class="facts">
        <dt>Node</dt>
        <dd>
          <a href={href(['nodes', j.node_id])}>{plain(j.node_id)}</a>
        </dd>
        <dt>Requested by</dt>
        <dd>{plain(j.requested_by ?? '—')}</dd>
        <dt>Created</dt>
        <dd title={j.created_at}>{ago(j.created_at)}</dd>
        <dt>Duration</dt>
        <dd>{duration(j.duration_ms)}</dd>
        {j.batch_id ? (
          <>
            <dt>Batch</dt>
            <dd>
              <a href={href(['jobs'], { batch: j.batch_id })}>{j.batch_id}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {!done || percent !== null ? (
        <div class="progress-row">
          <progress
            max={100}
            value={percent ?? undefined}
            aria-label="Progress"
            aria-valuetext={percent === null ? 'working' : `${percent}%`}
          />
          <span>{percent === null ? (done ? '' : 'working…') : `${percent}%`}</span>
          {j.message ? <span class="muted">{plain(j.message)}</span> : null}
        </div>
      ) : null}
      <h2>Parameters</h2>
      <Json value={j.params} label="Parameters" />
      {j.state === 'succeeded' ? (
        <>
          <h2>Result</h2>
          <Json value={j.result} label="Result" />
        </>
      ) : null}
      {j.error ? (
        <>
          <h2>Error</h2>
          <div class="error-box" role="alert" aria-label="Job error">
            <code>{plain(j.error.code)}</code> {plain(j.error.message)}
          </div>
        </>
      ) : null}
      <h2>Log</h2>
      {log.value.length === 0 ? (
        <p class="muted">No log lines.</p>
      ) : (
        <pre class="log" aria-label="Log" tabIndex={0}>
          {log.value.map((line) => plain(line)).join('\n')}
        </pre>
      )}
    </section>
  );
}
