import type { JobEvent } from '../job-model.js';
import type { JobEventListener } from './job-store.js';

/** The subscribers of one store instance; events are delivered after their write committed. */
export class JobEventHub {
  /**
   * Replaced, never changed in place, on (un)subscribe: an emit walks the array it started with (a
   * listener that unsubscribes or subscribes another meanwhile does not disturb it), with no copy per
   * event.
   */
  #listeners: readonly JobEventListener[] = [];

  subscribe(listener: JobEventListener): () => void {
    if (!this.#listeners.includes(listener)) this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  emit(events: readonly JobEvent[]): void {
    for (const event of events) this.emitOne(event);
  }

  emitOne(event: JobEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken subscriber (one SSE stream) must not fail the write that already committed.
        process.emitWarning(`A job event listener threw: ${String(error)}`, 'OpenClawJobStore');
      }
    }
  }

  clear(): void {
    this.#listeners = [];
  }
}
