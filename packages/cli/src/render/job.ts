import type { ExecAccepted, FanOutResponse, JobView } from '@openclaw-node/core';
import { renderTable, since } from './table.js';
import { inline } from './terminal-text.js';

/** `1.2 s`, `340 ms`, `2 m 05 s`, `-` when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** What to do next with an accepted job, for people. */
export function describeAccepted(accepted: ExecAccepted): string {
  const where =
    accepted.state === 'queued'
      ? `queued for ${accepted.node_id}${accepted.expires_at ? ` until ${accepted.expires_at}` : ''} (delivered when it connects)`
      : `${accepted.state} on ${accepted.node_id}`;
  return [
    `Job ${accepted.command_id} ${where}.`,
    `  follow:  openclaw job ${accepted.command_id} --follow`,
    `  cancel:  openclaw job cancel ${accepted.command_id}`,
  ].join('\n');
}

/** One job in detail, for `openclaw job <id>`. */
export function describeJob(job: JobView, now = new Date()): string {
  const lines = [
    `${job.command_id}  ${job.action} on ${job.node_id}`,
    `  state      ${job.state}`,
    `  requested  ${job.created_at} (${since(job.created_at, now)})${job.requested_by ? ` by ${job.requested_by}` : ''}`,
  ];
  if (job.expires_at && job.state === 'queued') lines.push(`  expires    ${job.expires_at}`);
  if (job.started_at) lines.push(`  started    ${job.started_at}`);
  if (job.finished_at) lines.push(`  finished   ${job.finished_at} (${formatDuration(job.duration_ms)})`);
  if (job.progress !== null || job.message !== null) {
    const percent = job.progress === null ? '' : `${Math.round(job.progress * 100)}% `;
    lines.push(`  progress   ${percent}${inline(job.message ?? '')}`.trimEnd());
  }
  if (job.timeout_s !== null) lines.push(`  timeout    ${job.timeout_s} s`);
  if (job.batch_id) lines.push(`  batch      ${job.batch_id}`);
  if (job.idempotency_key) lines.push(`  key        ${job.idempotency_key}`);
  lines.push(`  params     ${JSON.stringify(job.params)}`);
  if (job.state === 'succeeded') lines.push(`  result     ${JSON.stringify(job.result)}`);
  if (job.error) lines.push(`  error      ${inline(job.error.code)}: ${inline(job.error.message)}`);
  if (job.log_tail.length > 0) {
    lines.push('  log:');
    for (const line of job.log_tail.slice(-20)) lines.push(`    ${inline(line)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The rows of `openclaw jobs`. */
export function renderJobs(jobs: readonly JobView[], now = new Date()): string {
  const rows = jobs.map((j) => [
    j.command_id,
    j.node_id,
    j.action,
    j.state,
    since(j.created_at, now),
    formatDuration(j.duration_ms),
    j.requested_by ?? '-',
  ]);
  return renderTable(['COMMAND', 'NODE', 'ACTION', 'STATE', 'CREATED', 'DURATION', 'BY'], rows);
}

/** A fan-out answer: one row per job (with its result or error once known), then the nodes skipped. */
export function renderFanOut(response: FanOutResponse): string {
  const rows = response.jobs.map((j) => {
    const outcome =
      j.error !== undefined
        ? `${j.error.code}: ${j.error.message}`
        : j.result !== undefined
          ? JSON.stringify(j.result)
          : '';
    return [j.node_id, j.state, j.command_id, outcome];
  });
  const parts = [`Batch ${response.batch_id}: ${response.action} on ${response.jobs.length} node(s)`];
  if (rows.length) parts.push(renderTable(['NODE', 'STATE', 'COMMAND', 'RESULT'], rows).trimEnd());
  if (response.unavailable.length) {
    parts.push('Not run on:');
    parts.push(
      renderTable(
        ['NODE', 'CODE', 'REASON'],
        response.unavailable.map((u) => [u.node_id, u.code, u.reason]),
      ).trimEnd(),
    );
  }
  return `${parts.join('\n')}\n`;
}
