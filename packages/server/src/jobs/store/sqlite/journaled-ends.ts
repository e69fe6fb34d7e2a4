import { PendingWrites, type PendingWrite } from './pending-writes.js';

/** An ended job whose row is in the journal (EndedJournal) and not yet in the history file. */
export interface JournaledEnd extends PendingWrite {
  commandId: string;
  /** Its row as it ended (INSERT values, its two state events implied by it), as the journal holds it. */
  values: unknown[];
  /** Writes of it the file refused so far (see MAX_DEFERRED_ATTEMPTS). */
  attempts: number;
}

/** Ended jobs held at most before their rows are written at once, whatever the delay. */
export const MAX_JOURNALED_ENDS = 512;

/** The journaled ends of one store by job id (the store writes them all when `onDue` is called). */
export function journaledEnds(delayMs: number, onDue: () => void): PendingWrites<JournaledEnd> {
  return new PendingWrites<JournaledEnd>(delayMs, (end) => end.commandId, onDue);
}
