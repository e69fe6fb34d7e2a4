import { ChurnMap } from '../../../memory/churn-map.js';

/** A write held back until it is due (or something needs it written sooner). */
export interface PendingWrite {
  /** performance.now() by which it is written; set by PendingWrites#add. */
  due: number;
}

/**
 * Writes of one store held back by job id, with one timer that calls `onDue` when the earliest is due
 * (the store then writes what is due, or all of them). The deferred creates and the journaled ends of
 * SqliteJobStore are each one of these.
 */
export class PendingWrites<T extends PendingWrite> {
  readonly #items = new ChurnMap<string, T>();
  readonly #delayMs: number;
  readonly #keyOf: (item: T) => string;
  readonly #onDue: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(delayMs: number, keyOf: (item: T) => string, onDue: () => void) {
    this.#delayMs = delayMs;
    this.#keyOf = keyOf;
    this.#onDue = onDue;
  }

  get size(): number {
    return this.#items.size;
  }

  has(commandId: string): boolean {
    return this.#items.has(commandId);
  }

  get(commandId: string): T | undefined {
    return this.#items.get(commandId);
  }

  delete(commandId: string): void {
    this.#items.delete(commandId);
  }

  /** Take one out (to write it now). */
  take(commandId: string): T | undefined {
    const item = this.#items.get(commandId);
    if (item) this.#items.delete(commandId);
    return item;
  }

  /** Take them all out, the timer with them. */
  takeAll(): T[] {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const all = [...this.#items.values()];
    this.#items.clear();
    return all;
  }

  /** The ones held, in the order they came. */
  values(): IterableIterator<T> {
    return this.#items.values();
  }

  /** (Again) to be written within the delay. */
  add(item: T): void {
    item.due = performance.now() + this.#delayMs;
    this.#items.set(this.#keyOf(item), item);
    this.#timer ??= setTimeout(() => this.#fire(), this.#delayMs);
  }

  /** The ids of those due now, or of all of them. */
  due(all: boolean): string[] {
    const now = performance.now();
    const ids: string[] = [];
    for (const [id, item] of this.#items) if (all || item.due <= now) ids.push(id);
    return ids;
  }

  /** Set the timer for the earliest one left, if any and none is set. */
  #rearm(): void {
    if (this.#timer !== undefined || this.#items.size === 0) return;
    let next = Number.POSITIVE_INFINITY;
    for (const item of this.#items.values()) next = Math.min(next, item.due);
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(next - performance.now())));
  }

  /** Forget them all (the store closed). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#items.clear();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#onDue();
    this.#rearm();
  }
}
