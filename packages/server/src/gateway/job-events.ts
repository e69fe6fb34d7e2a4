import {
  OpenClawError,
  type AgentLimits,
  type JobAcceptedEvent,
  type JobStartedEvent,
} from '@openclaw-node/core';
import type { JobRunner } from '../jobs/job-runner.js';
import type { AgentSocket } from './types.js';

const JOB_ID = /^[\x21-\x7e]{1,128}$/;

/** A `job:accepted` payload if well-formed, else null (dropped). */
export function parseJobAccepted(value: unknown): JobAcceptedEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.jobId !== 'string' || !JOB_ID.test(v.jobId) || typeof v.queued !== 'boolean') return null;
  if (v.started !== undefined && typeof v.started !== 'boolean') return null;
  // "Started" and "waits in the queue" contradict each other: believe neither.
  if (v.started === true && v.queued) return null;
  return v.started === true
    ? { jobId: v.jobId, queued: false, started: true }
    : { jobId: v.jobId, queued: v.queued };
}

/** A `job:started` payload if well-formed, else null (dropped). */
export function parseJobStarted(value: unknown): JobStartedEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  return typeof v.jobId === 'string' && JOB_ID.test(v.jobId) ? { jobId: v.jobId } : null;
}

/** The `limits` of a hello (absent for older agents); INVALID_BODY naming the field when malformed. */
export function parseAgentLimits(hello: unknown): AgentLimits | undefined {
  const raw = (hello as { limits?: unknown } | null)?.limits;
  if (raw === undefined || raw === null) return undefined;
  const v = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const check = (field: 'maxConcurrentJobs' | 'maxQueuedJobs', min: number, max: number): number => {
    const n = v[field];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new OpenClawError(
        'INVALID_BODY',
        `hello.limits.${field} must be an integer from ${min} to ${max}`,
        {
          details: { field: `hello.limits.${field}` },
        },
      );
    }
    return n;
  };
  return {
    maxConcurrentJobs: check('maxConcurrentJobs', 1, 1024),
    maxQueuedJobs: check('maxQueuedJobs', 0, 100_000),
  };
}

/** Route `job:accepted` and `job:started` of a registered connection to the runner. */
export function attachJobEvents(
  socket: AgentSocket,
  options: { runner: JobRunner; connectionId: string; registered: () => boolean },
): void {
  const { runner, connectionId, registered } = options;
  socket.on('job:accepted', (value: unknown) => {
    const event = parseJobAccepted(value);
    if (event && registered()) runner.accepted(connectionId, event);
  });
  socket.on('job:started', (value: unknown) => {
    const event = parseJobStarted(value);
    if (event && registered()) runner.started(connectionId, event);
  });
}
