import type { AgentLimits } from '@openclaw-node/core';

/** What the scheduler needs of one job. */
export interface ScheduledJob {
  /** Set for an `exclusive` action: the action id, held from start until its handler settles. */
  readonly exclusiveKey: string | undefined;
  /** Called once, when the job may run. */
  start(): void;
}

/** Where admit() put a job. */
export type Admission = 'started' | 'queued' | 'busy';

/** The defaults of `max_concurrent_jobs` and `max_queued_jobs`. */
export const DEFAULT_LIMITS: AgentLimits = { maxConcurrentJobs: 4, maxQueuedJobs: 32 };

/**
 * Runs at most `maxConcurrentJobs` at once and keeps up to `maxQueuedJobs` waiting, first come first
 * served, except that a job of an exclusive action whose previous run still holds the action waits
 * without blocking the jobs behind it.
 */
export class JobScheduler {
  readonly limits: AgentLimits;
  readonly #running = new Set<ScheduledJob>();
  readonly #queue: ScheduledJob[] = [];
  readonly #held = new Set<string>();

  constructor(limits: AgentLimits = DEFAULT_LIMITS) {
    this.limits = limits;
  }

  get running(): number {
    return this.#running.size;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Start a job now, queue it, or refuse it (`busy`: the queue is full; nothing was started). */
  admit(job: ScheduledJob): Admission {
    if (this.#canStart(job)) {
      this.#start(job);
      return 'started';
    }
    if (this.#queue.length >= this.limits.maxQueuedJobs) return 'busy';
    this.#queue.push(job);
    return 'queued';
  }

  /**
   * A job is over (acked, cancelled, failed its checks): a queued one leaves the queue; a running one
   * frees its slot now and its exclusive action once `released` settles (its handler has stopped).
   */
  leave(job: ScheduledJob, released: Promise<unknown> = Promise.resolve()): void {
    const index = this.#queue.indexOf(job);
    if (index >= 0) this.#queue.splice(index, 1);
    if (!this.#running.delete(job)) return;
    const key = job.exclusiveKey;
    if (key !== undefined) {
      const free = (): void => {
        this.#held.delete(key);
        this.#pump();
      };
      released.then(free, free);
    }
    this.#pump();
  }

  #canStart(job: ScheduledJob): boolean {
    if (this.#running.size >= this.limits.maxConcurrentJobs) return false;
    return job.exclusiveKey === undefined || !this.#held.has(job.exclusiveKey);
  }

  #start(job: ScheduledJob): void {
    this.#running.add(job);
    if (job.exclusiveKey !== undefined) this.#held.add(job.exclusiveKey);
    job.start();
  }

  #pump(): void {
    for (let i = 0; i < this.#queue.length && this.#running.size < this.limits.maxConcurrentJobs;) {
      const job = this.#queue[i]!;
      if (!this.#canStart(job)) {
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#start(job);
    }
  }
}
