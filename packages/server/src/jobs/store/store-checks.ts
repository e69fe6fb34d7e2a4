import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import { JOB_STATES, isJobState, type JobEventType, type JobState } from '../job-model.js';
import type { PurgeOptions } from './job-store.js';

/** JOB_NOT_FOUND (404) for an unknown command id. */
export function notFound(commandId: string): OpenClawError {
  return new OpenClawError('JOB_NOT_FOUND', `No job has command_id ${commandId}`, {
    details: { command_id: commandId },
  });
}

/** A second create with a command id already stored. */
export function duplicateJob(commandId: string): OpenClawError {
  return new OpenClawError('INVALID_BODY', `A job with command_id ${commandId} already exists`, {
    details: { field: 'command_id', command_id: commandId },
  });
}

/** True for the error of duplicateJob. */
export function isDuplicateJob(error: unknown): boolean {
  return isOpenClawError(error) && error.code === 'INVALID_BODY' && error.details?.field === 'command_id';
}

/** The `state` filter as a list of distinct states; INVALID_BODY naming `state` for an unknown state. */
export function stateList(
  state: JobState | readonly JobState[] | undefined,
): readonly JobState[] | undefined {
  if (state === undefined) return undefined;
  const list: readonly unknown[] = Array.isArray(state) ? state : [state];
  const bad = list.find((s) => !isJobState(s));
  if (bad !== undefined || list.length === 0) {
    throw new OpenClawError(
      'INVALID_BODY',
      `state must be one of ${JOB_STATES.join(', ')}; got ${JSON.stringify(bad ?? list)}`,
      { details: { field: 'state' } },
    );
  }
  // Deduplicated in a fixed order, so one set of states is one SQL text (and one cached statement).
  return JOB_STATES.filter((s) => list.includes(s));
}

/** CONFIG_INVALID naming the option unless each limit given is a non-negative integer. */
export function checkPurgeOptions(options: PurgeOptions): void {
  for (const field of ['maxAgeMs', 'maxCount'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `${field} must be a non-negative integer, got ${String(value)}`,
        {
          details: { field },
        },
      );
    }
  }
}

const EVENT_TYPES: readonly string[] = ['state', 'progress', 'log'] satisfies JobEventType[];

/** INVALID_BODY naming `type` unless it is an event type. */
export function checkEventType(type: unknown): void {
  if (!EVENT_TYPES.includes(type as string)) {
    throw new OpenClawError('INVALID_BODY', `type must be one of ${EVENT_TYPES.join(', ')}`, {
      details: { field: 'type' },
    });
  }
}

/** How many events to return: a whole number from 0 to `max`. */
export function eventLimit(limit: number | undefined, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return max;
  return Math.min(max, Math.max(0, Math.floor(limit)));
}
