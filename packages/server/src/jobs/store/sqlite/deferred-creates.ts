import type { JobEvent } from '../../job-model.js';
import type { JobRow } from '../job-row.js';

/**
 * The create of a job whose caller waits for its end, not written yet: written with the job's end as
 * one row (see SqliteJobStore.create), or on its own once due.
 */
export interface DeferredCreate {
  /** The row as created (kept apart from the record create returned). */
  row: JobRow;
  /** Its `state` event, emitted after the COMMIT that writes the row. */
  event: JobEvent;
  /** performance.now() by which it is written even if the job has not ended. */
  due: number;
  /** writeStart() of the create, for the write observer (0: not timed). */
  start: number;
  /** Writes of it that failed so far (see MAX_DEFERRED_ATTEMPTS). */
  attempts: number;
}

/** A deferred create whose row the file refused this many times is dropped, with a warning. */
export const MAX_DEFERRED_ATTEMPTS = 3;

/**
 * The deferred creates of one store by job id, and one timer that calls `onDue` when the earliest is
 * due (the store then writes the due ones and calls rearm()).
 */
export class DeferredCreates {
  readonly #items = new Map<string, DeferredCreate>();
  readonly #delayMs: number;
  readonly #onDue: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(delayMs: number, onDue: () => void) {
    this.#delayMs = delayMs;
    this.#onDue = onDue;
  }

  get size(): number {
    return this.#items.size;
  }

  has(commandId: string): boolean {
    return this.#items.has(commandId);
  }

  get(commandId: string): DeferredCreate | undefined {
    return this.#items.get(commandId);
  }

  delete(commandId: string): void {
    this.#items.delete(commandId);
  }

  /** (Again) to be written within the delay. */
  add(deferred: DeferredCreate): void {
    deferred.due = performance.now() + this.#delayMs;
    this.#items.set(deferred.row.command_id, deferred);
    this.#timer ??= setTimeout(() => this.#fire(), this.#delayMs);
  }

  /** The ids of those due now, or of all of them. */
  due(all: boolean): string[] {
    const now = performance.now();
    const ids: string[] = [];
    for (const [id, deferred] of this.#items) if (all || deferred.due <= now) ids.push(id);
    return ids;
  }

  /** Set the timer for the earliest one left, if any and none is set. */
  rearm(): void {
    if (this.#timer !== undefined || this.#items.size === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const deferred of this.#items.values()) next = Math.min(next, deferred.due);
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(next - performance.now())));
  }

  /** Forget them all (the store closed: they are lost with the process, as at a crash). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items.clear();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#onDue();
    this.rearm();
  }
}
