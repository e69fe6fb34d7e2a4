import { OpenClawError, fromErrorPayload } from '@openclaw-node/core';
import type { JobRecord, TerminalJobState } from './index.js';
import { isTerminal } from './index.js';

/** How a job ended, as the REST layer renders it. */
export interface JobOutcome {
  commandId: string;
  nodeId: string;
  action: string;
  state: TerminalJobState;
  /** Only when `succeeded`. */
  result?: unknown;
  /** Every other state. */
  error?: OpenClawError;
  durationMs: number;
  /** The stored record after the end; absent when the store could not be written. */
  record?: JobRecord;
}

const TIMEOUT_CODES = new Set(['TIMEOUT', 'NODE_TIMEOUT']);

/** The terminal state an error ends a running job in. */
export function stateForError(error: OpenClawError): 'failed' | 'timed_out' | 'cancelled' {
  if (error.code === 'CANCELLED') return 'cancelled';
  return TIMEOUT_CODES.has(error.code) ? 'timed_out' : 'failed';
}

/** The outcome of a job already ended in the store (a replay, or a job that ended elsewhere). */
export function outcomeOfRecord(record: JobRecord): JobOutcome | undefined {
  if (!isTerminal(record.state)) return undefined;
  const outcome: JobOutcome = {
    commandId: record.command_id,
    nodeId: record.node_id,
    action: record.action,
    state: record.state,
    durationMs: record.duration_ms ?? 0,
    record,
  };
  if (record.state === 'succeeded') outcome.result = record.result;
  else
    outcome.error = record.error
      ? fromErrorPayload(record.error)
      : new OpenClawError('ACTION_FAILED', 'The job ended without a result');
  return outcome;
}
