import { isTerminal, type JobEvent, type JobState } from '../jobs/index.js';
import { ChurnMap } from '../memory/churn-map.js';

/** Jobs followed at most; the oldest are forgotten first (their gauge share with them). */
const MAX_TRACKED = 100_000;

/**
 * Counts this process's jobs by state from the store's `state` events. In scale-out the store tells
 * every process about every job; `isOwn` then follows only the jobs created by a request this process
 * served (as the audit does), so each process reports its own.
 */
export class JobTracker {
  readonly #states = new ChurnMap<string, JobState>();
  readonly #counts = new Map<string, number>();
  readonly #isOwn: ((jobId: string) => boolean) | undefined;
  readonly #ended: (state: JobState) => void;

  constructor(options: { isOwn?: (jobId: string) => boolean; ended: (state: JobState) => void }) {
    this.#isOwn = options.isOwn;
    this.#ended = options.ended;
  }

  /** Jobs not yet ended, by state. */
  byState(): Map<string, number> {
    return this.#counts;
  }

  /** A job already in the store when the process starts (queued for its node across a restart). */
  seed(jobId: string, state: JobState): void {
    if (!this.#states.has(jobId) && !isTerminal(state)) this.#enter(jobId, state);
  }

  readonly listener = (event: JobEvent): void => {
    if (event.type !== 'state') return;
    const previous = this.#states.get(event.job_id);
    if (previous === undefined && this.#isOwn && !this.#isOwn(event.job_id)) return;
    const state = event.data.state;
    if (previous !== undefined) {
      this.#states.delete(event.job_id);
      this.#add(previous, -1);
    }
    if (isTerminal(state)) {
      this.#ended(state);
      return;
    }
    this.#enter(event.job_id, state);
  };

  #enter(jobId: string, state: JobState): void {
    this.#states.set(jobId, state);
    this.#add(state, 1);
    if (this.#states.size > MAX_TRACKED) {
      const [oldest, oldState] = this.#states.first()!;
      this.#states.delete(oldest);
      this.#add(oldState, -1);
    }
  }

  #add(state: string, by: number): void {
    this.#counts.set(state, (this.#counts.get(state) ?? 0) + by);
  }
}
