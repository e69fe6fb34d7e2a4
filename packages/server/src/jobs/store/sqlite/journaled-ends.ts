/** An ended job whose row is in the journal (EndedJournal) and not yet in the history file. */
export interface JournaledEnd {
  commandId: string;
  /** Its row as it ended (INSERT values, its two state events implied by it), as the journal holds it. */
  values: unknown[];
  /** Writes of it the file refused so far (see MAX_DEFERRED_ATTEMPTS). */
  attempts: number;
}

/** Ended jobs held at most before their rows are written at once, whatever the delay. */
export const MAX_JOURNALED_ENDS = 512;

/**
 * The journaled ends of one store by job id, and one timer that calls `onDue` `delayMs` after the first
 * of them came (the store then writes them all into the file in one COMMIT and empties the journal).
 */
export class JournaledEnds {
  readonly #items = new Map<string, JournaledEnd>();
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

  /** Take one out (to write it now). */
  take(commandId: string): JournaledEnd | undefined {
    const end = this.#items.get(commandId);
    if (end) this.#items.delete(commandId);
    return end;
  }

  /** The ends held, in the order they came. */
  values(): IterableIterator<JournaledEnd> {
    return this.#items.values();
  }

  /** Take them all out, the timer with them. */
  takeAll(): JournaledEnd[] {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const all = [...this.#items.values()];
    this.#items.clear();
    return all;
  }

  /** (Again) to be written within the delay; true when there are so many that they should be written now. */
  add(end: JournaledEnd): boolean {
    this.#items.set(end.commandId, end);
    this.rearm();
    return this.#items.size >= MAX_JOURNALED_ENDS;
  }

  /** Set the timer if there are some and none is set. */
  rearm(): void {
    if (this.#timer !== undefined || this.#items.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onDue();
    }, this.#delayMs);
  }

  /** Forget them all (the store closed: the journal keeps them for the next open). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items.clear();
  }
}
