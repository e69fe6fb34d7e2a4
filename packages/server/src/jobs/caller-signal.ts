/** What the job path needs of an abort signal: an AbortSignal fits, and so does the cheaper CallerGone. */
export interface CallerSignal {
  readonly aborted: boolean;
  readonly reason: Error | undefined;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The reason a caller's signal aborts with when the caller hung up: no failure of the server's. */
export class CallerWentAway extends Error {
  constructor() {
    super('the caller went away before the answer');
    this.name = 'CallerWentAway';
  }
}

/**
 * Aborted once, when a REST caller hangs up before its answer is written. Every exec makes one, so it
 * is a plain listener list rather than an AbortController: Node's EventTarget-based AbortSignal (made,
 * listened to and unlistened on every call) cost more than the route's own work.
 */
export class CallerGone implements CallerSignal {
  #aborted = false;
  #reason: Error | undefined = undefined;
  #listeners: (() => void)[] = [];

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): Error | undefined {
    return this.#reason;
  }

  /** As AbortSignal: a listener added twice is called once; every listener is called once at most. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (!this.#aborted && !this.#listeners.includes(listener)) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
  }

  abort(reason: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: the others still run, the error surfaces as uncaught.
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }
}
