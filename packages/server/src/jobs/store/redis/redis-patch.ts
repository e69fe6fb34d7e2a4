import { JOB_STATES, canTransition, type JobState } from '../../job-model.js';
import { applyTransition, stateEventData, type JobRow } from '../job-row.js';
import type { TransitionPatch } from '../job-store.js';
import { messageIdSource } from '../../../redis/message-ids.js';

/** What a transition script writes besides the state and times. */
export interface PreparedTransition {
  /** Hash field/value pairs: progress, message, result, error. */
  fields: string[];
  /** The JSON of the `state` event. */
  eventData: string;
}

function blankRow(commandId: string, state: JobState): JobRow {
  return {
    command_id: commandId,
    node_id: '-',
    action: '-',
    params: {},
    requested_by: null,
    state,
    created_ms: 0,
    expires_ms: null,
    started_ms: null,
    finished_ms: null,
    progress: null,
    message: null,
    result: null,
    error: null,
    log_tail: [],
    timeout_s: null,
    idempotency_key: null,
    batch_id: null,
    request_hash: null,
    event_seq: 0,
  };
}

/**
 * Check a patch and compute what moving to `to` writes, with the same rules (applyTransition) as
 * the other stores; the script then checks the move itself against the job's current state.
 * Undefined when no state may move to `to`: the move is refused whatever the job is.
 */
export function prepareTransition(
  commandId: string,
  to: JobState,
  patch: TransitionPatch,
  now: number,
  maxMessageLength: number,
): PreparedTransition | undefined {
  const from = JOB_STATES.find((state) => canTransition(state, to));
  if (from === undefined) return undefined;
  const next = applyTransition(blankRow(commandId, from), to, patch, now, maxMessageLength);
  const fields: string[] = [];
  if (next.progress !== null) fields.push('progress', String(next.progress));
  if (next.message !== null) fields.push('message', JSON.stringify(next.message));
  if (next.result !== null && next.result !== undefined) fields.push('result', JSON.stringify(next.result));
  if (next.error !== null) fields.push('error', JSON.stringify(next.error));
  return { fields, eventData: JSON.stringify(stateEventData(next)) };
}

/** A unique id per write: lets a script recognise its own write when ioredis resends it after a reconnect. */
export const writeId = messageIdSource();
