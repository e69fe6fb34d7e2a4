import type { Counter } from 'prom-client';

type CounterChild = ReturnType<Counter<string>['labels']>;

/**
 * A counter's labelled child whose increments add to a plain number, handed to prom-client's child
 * when the counter is collected (at scrape time): the hot path skips prom-client's label hash.
 */
export class DeferredCount {
  #pending = 0;
  readonly #child: CounterChild;

  constructor(child: CounterChild) {
    this.#child = child;
  }

  inc(by = 1): void {
    this.#pending += by;
  }

  flush(): void {
    if (this.#pending === 0) return;
    this.#child.inc(this.#pending);
    this.#pending = 0;
  }
}

/** The deferred children of one counter; `flush` goes in the counter's `collect`. */
export class DeferredCounts {
  readonly #children: DeferredCount[] = [];

  of(child: CounterChild): DeferredCount {
    const deferred = new DeferredCount(child);
    this.#children.push(deferred);
    return deferred;
  }

  flush(): void {
    for (const child of this.#children) child.flush();
  }
}
