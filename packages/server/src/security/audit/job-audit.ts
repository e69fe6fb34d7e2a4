import type { Logger } from 'pino';
import { isDroppedParams, isTerminal, type JobEvent, type JobRecord } from '../../jobs/index.js';
import type { AuditLog, AuditRecord } from './audit-log.js';
import type { JobOrigin, JobOrigins } from './job-origins.js';
import { redactedParamsDigest } from './params-digest.js';

/** The part of a JobStore the audit needs. */
export interface AuditedJobSource {
  subscribe(listener: (event: JobEvent) => void): () => void;
  get(commandId: string): Promise<JobRecord | undefined>;
}

/**
 * Write one `exec` audit record when each job ends: who asked (and from where: noted in `origins` by
 * the request that created the job), node, action, digest of the stored (already redacted) params,
 * outcome, duration, command id. With `onlyOwnRequests` (scale-out), only jobs created by this
 * process's requests. Returns the unsubscribe function.
 */
export function auditJobs(
  source: AuditedJobSource,
  audit: AuditLog,
  logger: Logger,
  origins: JobOrigins,
  options: { onlyOwnRequests?: boolean } = {},
): () => void {
  if (!audit.enabled) return () => {};
  return source.subscribe((event) => {
    if (event.type !== 'state' || !isTerminal(event.data.state)) return;
    // Scale-out: the store tells every process about every job; the one that took the request audits it.
    if (options.onlyOwnRequests && !origins.has(event.job_id)) return;
    const origin = origins.take(event.job_id) ?? {};
    source.get(event.job_id).then(
      (record) => {
        if (record) audit.record(toAuditRecord(record, origin));
      },
      (error: unknown) =>
        logger.error({ err: error, command_id: event.job_id }, 'cannot audit a finished job'),
    );
  });
}

function toAuditRecord(job: JobRecord, origin: JobOrigin): AuditRecord {
  const record: AuditRecord = {
    event: 'exec',
    ...(job.requested_by != null ? { principal: job.requested_by } : {}),
    ...origin,
    node_id: job.node_id,
    action: job.action,
    // A job that ended without being sent kept no params (DROPPED_PARAMS): no digest to give.
    ...(isDroppedParams(job.params) ? {} : { params_digest: redactedParamsDigest(job.params) }),
    outcome: job.state === 'succeeded' ? 'success' : (job.error?.code ?? job.state.toUpperCase()),
    state: job.state,
    command_id: job.command_id,
  };
  if (job.duration_ms !== null) record.duration_ms = job.duration_ms;
  if (job.batch_id !== null) record.batch_id = job.batch_id;
  return record;
}
