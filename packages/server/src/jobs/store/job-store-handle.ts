import { OpenClawError } from '@openclaw-node/core';
import { JobEventHub } from './job-event-hub.js';
import type { JobEventListener, JobStore } from './job-store.js';

type Forwarded = Exclude<keyof JobStore, 'subscribe' | 'close'>;

/**
 * A JobStore that is wired up before the real one opens (the server builds its parts synchronously
 * and opens SQLite in listen()). Calls before open() fail with JOB_STORE_FAILED; subscribers attach
 * at once and hear the real store's events once it is open.
 */
export class JobStoreHandle implements JobStore {
  readonly #hub = new JobEventHub();
  #store: JobStore | undefined;
  #unsubscribe: () => void = () => {};

  /** Use `store` from now on. */
  attach(store: JobStore): void {
    this.#unsubscribe();
    this.#store = store;
    this.#unsubscribe = store.subscribe((event) => this.#hub.emit([event]));
  }

  /** True once a store is attached. */
  get isOpen(): boolean {
    return this.#store !== undefined;
  }

  /** Detach (the caller closes the store it attached). */
  detach(): JobStore | undefined {
    this.#unsubscribe();
    this.#unsubscribe = () => {};
    const store = this.#store;
    this.#store = undefined;
    return store;
  }

  create = this.#forward('create');
  get = this.#forward('get');
  transition = this.#forward('transition');
  updateProgress = this.#forward('updateProgress');
  appendLog = this.#forward('appendLog');
  appendEvent = this.#forward('appendEvent');
  listEvents = this.#forward('listEvents');
  list = this.#forward('list');
  findByIdempotencyKey = this.#forward('findByIdempotencyKey');
  queuedForNode = this.#forward('queuedForNode');
  expireQueued = this.#forward('expireQueued');
  markInterruptedAsLost = this.#forward('markInterruptedAsLost');
  purge = this.#forward('purge');

  subscribe(listener: JobEventListener): () => void {
    return this.#hub.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.detach()?.close();
  }

  #forward<K extends Forwarded>(name: K): JobStore[K] {
    return ((...args: unknown[]) => {
      const store = this.#store;
      if (!store) {
        return Promise.reject(
          new OpenClawError('JOB_STORE_FAILED', 'The job store is not open (the server is not listening)'),
        );
      }
      return (store[name] as (...a: unknown[]) => unknown)(...args);
    }) as JobStore[K];
  }
}
