import { OpenClawError } from '@openclaw-node/core';
import { JobEventHub } from './job-event-hub.js';
import type { JobEventListener, JobStore } from './job-store.js';
import { elapsedSeconds, writeStart, type StoreWriteObserver, type StoreWriteOp } from './write-timing.js';

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
  #observer: StoreWriteObserver | undefined;
  /** The attached store cannot time its writes: the handle times the calls. */
  #timeCalls = false;

  /** Use `store` from now on. */
  attach(store: JobStore): void {
    this.#unsubscribe();
    this.#store = store;
    this.#unsubscribe = store.subscribe((event) => this.#hub.emitOne(event));
    this.#passObserver();
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
    store?.observeWrites?.(undefined);
    this.#store = undefined;
    this.#timeCalls = false;
    return store;
  }

  /**
   * Time every write: the attached store does it where it can (it knows when a write lands); for a
   * store without `observeWrites` the handle times each call to its promise settling.
   */
  observeWrites(observer: StoreWriteObserver | undefined): void {
    this.#observer = observer;
    this.#passObserver();
  }

  #passObserver(): void {
    const store = this.#store;
    if (store?.observeWrites) store.observeWrites(this.#observer);
    this.#timeCalls = store !== undefined && !store.observeWrites && this.#observer !== undefined;
  }

  create = this.#forwardWrite('create');
  get = this.#forward('get');
  transition = this.#forwardWrite('transition');
  updateProgress = this.#forwardWrite('updateProgress');
  appendLog = this.#forwardWrite('appendLog');
  appendEvent = this.#forwardWrite('appendEvent');
  listEvents = this.#forward('listEvents');
  list = this.#forward('list');
  findByIdempotencyKey = this.#forward('findByIdempotencyKey');
  queuedForNode = this.#forward('queuedForNode');
  expireQueued = this.#forwardWrite('expireQueued');
  markInterruptedAsLost = this.#forwardWrite('markInterruptedAsLost');
  purge = this.#forwardWrite('purge');

  subscribe(listener: JobEventListener): () => void {
    return this.#hub.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.detach()?.close();
  }

  #forwardWrite<K extends StoreWriteOp>(name: K): JobStore[K] {
    return ((...args: unknown[]) => {
      const store = this.#store;
      if (!store) return notOpen();
      const write = store[name] as (...a: unknown[]) => Promise<unknown>;
      if (!this.#timeCalls) return write.apply(store, args);
      const start = writeStart();
      const observe = (): void => this.#observer?.(name, elapsedSeconds(start));
      const written = write.apply(store, args);
      written.then(observe, observe);
      return written;
    }) as JobStore[K];
  }

  #forward<K extends Forwarded>(name: K): JobStore[K] {
    return ((...args: unknown[]) => {
      const store = this.#store;
      if (!store) return notOpen();
      return (store[name] as (...a: unknown[]) => unknown)(...args);
    }) as JobStore[K];
  }
}

function notOpen(): Promise<never> {
  return Promise.reject(
    new OpenClawError('JOB_STORE_FAILED', 'The job store is not open (the server is not listening)'),
  );
}
