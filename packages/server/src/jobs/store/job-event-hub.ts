import type { JobEvent } from '../job-model.js';
import type { JobEventListener } from './job-store.js';

/** The subscribers of one store instance; events are delivered after their write committed. */
export class JobEventHub {
  readonly #listeners = new Set<JobEventListener>();

  subscribe(listener: JobEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(events: readonly JobEvent[]): void {
    for (const event of events) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(event);
        } catch (error) {
          // A broken subscriber (one SSE stream) must not fail the write that already committed.
          process.emitWarning(`A job event listener threw: ${String(error)}`, 'OpenClawJobStore');
        }
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
