import type { JobEvent } from '../../job-model.js';
import type { JobRow } from '../job-row.js';
import { PendingWrites, type PendingWrite } from './pending-writes.js';

/**
 * The create of a job whose caller waits for its end, not written yet: written with the job's end as
 * one row (see SqliteJobStore.create), or on its own once due.
 */
export interface DeferredCreate extends PendingWrite {
  /** The row as created (kept apart from the record create returned). */
  row: JobRow;
  /** Its `state` event, emitted after the COMMIT that writes the row. */
  event: JobEvent;
  /** writeStart() of the create, for the write observer (0: not timed). */
  start: number;
  /** Writes of it that failed so far (see MAX_DEFERRED_ATTEMPTS). */
  attempts: number;
}

/** A deferred create (or journaled end) whose row the file refused this many times is dropped, with a warning. */
export const MAX_DEFERRED_ATTEMPTS = 3;

/** The deferred creates of one store by job id (the store writes the due ones when `onDue` is called). */
export function deferredCreates(delayMs: number, onDue: () => void): PendingWrites<DeferredCreate> {
  return new PendingWrites<DeferredCreate>(delayMs, (deferred) => deferred.row.command_id, onDue);
}
