import type { Logger } from 'pino';
import { isTerminal, type JobEvent, type JobRecord } from '../jobs/index.js';
import { currentRequest } from '../security/request-context.js';
import type { AuditLog, AuditRecord } from './audit-log.js';
import { redactedParamsDigest } from './params-digest.js';

/** The part of a JobStore the audit needs. */
export interface AuditedJobSource {
  subscribe(listener: (event: JobEvent) => void): () => void;
  get(commandId: string): Promise<JobRecord | undefined>;
}

interface Origin {
  address?: string;
  roles?: readonly string[];
  via?: string;
}

/** Jobs whose origin is remembered at most (the oldest are forgotten first). */
const MAX_OPEN_JOBS = 100_000;

/**
 * Write one `exec` audit record when each job ends: who asked (and from where: taken from the request
 * that created the job), node, action, digest of the stored (already redacted) params, outcome,
 * duration, command id. With `onlyOwnRequests` (scale-out), only jobs created by this process's
 * requests. Returns the unsubscribe function.
 */
export function auditJobs(
  source: AuditedJobSource,
  audit: AuditLog,
  logger: Logger,
  options: { onlyOwnRequests?: boolean } = {},
): () => void {
  if (!audit.enabled) return () => {};
  const origins = new Map<string, Origin>();
  return source.subscribe((event) => {
    if (event.type !== 'state') return;
    if (!origins.has(event.job_id) && !isTerminal(event.data.state)) {
      const request = currentRequest();
      // Scale-out: the store tells every process about every job; the one that took the request audits it.
      if (options.onlyOwnRequests && !request) return;
      origins.set(event.job_id, {
        ...(request ? { address: request.address } : {}),
        ...(request?.principal ? { roles: request.principal.roles, via: request.principal.via } : {}),
      });
      if (origins.size > MAX_OPEN_JOBS) origins.delete(origins.keys().next().value!);
      return;
    }
    if (!isTerminal(event.data.state)) return;
    if (options.onlyOwnRequests && !origins.has(event.job_id)) return;
    const origin = origins.get(event.job_id) ?? {};
    origins.delete(event.job_id);
    source.get(event.job_id).then(
      (record) => {
        if (record) audit.record(toAuditRecord(record, origin));
      },
      (error: unknown) =>
        logger.error({ err: error, command_id: event.job_id }, 'cannot audit a finished job'),
    );
  });
}

function toAuditRecord(job: JobRecord, origin: Origin): AuditRecord {
  const record: AuditRecord = {
    event: 'exec',
    principal: job.requested_by ?? undefined,
    ...origin,
    node_id: job.node_id,
    action: job.action,
    params_digest: redactedParamsDigest(job.params),
    outcome: job.state === 'succeeded' ? 'success' : (job.error?.code ?? job.state.toUpperCase()),
    state: job.state,
    command_id: job.command_id,
  };
  if (job.duration_ms !== null) record.duration_ms = job.duration_ms;
  if (job.batch_id !== null) record.batch_id = job.batch_id;
  return record;
}
