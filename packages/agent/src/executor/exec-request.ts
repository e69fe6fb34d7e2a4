import { OpenClawError, type ExecRequest } from '@openclaw-node/core';

/** Longest timeout the agent accepts for one job: 7 days, the manifest's limit. */
export const MAX_TIMEOUT_MS = 7 * 24 * 3600 * 1000;
// Any printable ASCII: the server chooses the format (UUID, nanoid…); no spaces or control characters.
const JOB_ID = /^[\x21-\x7e]{1,128}$/;

/** Check an inbound `exec` payload (types are not validation); throws INVALID_BODY naming the field. */
export function parseExecRequest(value: unknown): ExecRequest {
  const fail = (field: string, message: string): never => {
    throw new OpenClawError('INVALID_BODY', `exec ${field} ${message}`, { details: { field } });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('payload', 'must be an object');
  const request = value as Record<string, unknown>;
  if (typeof request.jobId !== 'string' || !JOB_ID.test(request.jobId)) {
    return fail('jobId', 'must be a string of 1-128 printable characters without spaces');
  }
  if (typeof request.action !== 'string' || request.action.length === 0 || request.action.length > 200) {
    return fail('action', 'must be a string of the form plugin.action');
  }
  const params = request.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return fail('params', 'must be an object');
  const timeoutMs = request.timeoutMs;
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > MAX_TIMEOUT_MS
  ) {
    return fail('timeoutMs', `must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`);
  }
  return {
    jobId: request.jobId,
    action: request.action,
    params: params as Record<string, unknown>,
    timeoutMs,
  };
}

/** The jobId of a payload, if it has a usable one (for logging a payload that fails later checks). */
export function peekJobId(value: unknown): string | undefined {
  const jobId = (value as { jobId?: unknown } | null)?.jobId;
  return typeof jobId === 'string' && JOB_ID.test(jobId) ? jobId : undefined;
}
