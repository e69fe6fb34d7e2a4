import type { ErrorBody, ExecAccepted, ExecSuccess, JobLinks, JobView } from '@openclaw-node/core';
import { shownIdempotencyKey } from './idempotency.js';
import type { JobOutcome } from './job-outcome.js';
import type { JobRecord } from './index.js';
import { toErrorBody } from '../http/middleware/error-handler.js';

/** The REST paths of one job. */
export function jobLinks(commandId: string): JobLinks {
  const self = `/api/jobs/${encodeURIComponent(commandId)}`;
  return { self, events: `${self}/events`, cancel: `${self}/cancel` };
}

/** A stored job as served over REST: the record without internal fields, with its links. */
export function toJobView(record: JobRecord): JobView {
  const { request_hash: _internal, ...view } = record;
  if (view.idempotency_key !== null) view.idempotency_key = shownIdempotencyKey(view.idempotency_key);
  return { ...view, links: jobLinks(record.command_id) };
}

/** The 202 answer for a job that was accepted and not waited for. */
export function toExecAccepted(record: JobRecord): ExecAccepted {
  return {
    status: 'accepted',
    command_id: record.command_id,
    node_id: record.node_id,
    action: record.action,
    state: record.state,
    expires_at: record.expires_at,
    links: jobLinks(record.command_id),
  };
}

/** HTTP status and body of a job that ended, as the synchronous exec has always answered. */
export function renderOutcome(outcome: JobOutcome): { status: number; body: ExecSuccess | ErrorBody } {
  const links = jobLinks(outcome.commandId);
  if (outcome.state === 'succeeded') {
    return {
      status: 200,
      body: {
        status: 'success',
        command_id: outcome.commandId,
        node_id: outcome.nodeId,
        action: outcome.action,
        result: outcome.result ?? null,
        duration_ms: outcome.durationMs,
        links,
      },
    };
  }
  const error = outcome.error!;
  return { status: error.status, body: { ...toErrorBody(error, outcome.commandId), links } };
}
