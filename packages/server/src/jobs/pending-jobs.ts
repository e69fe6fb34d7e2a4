import type { JobProgressEvent, OpenClawError, PendingJob } from '@openclaw-node/core';
import { ChurnMap } from '../memory/churn-map.js';

/** Progress events kept per job (for a later SSE stream), oldest dropped first. */
const MAX_EVENTS = 200;

/** One `exec` sent to a node and not yet answered. */
export interface Job {
  commandId: string;
  nodeId: string;
  connectionId: string;
  action: string;
  startedAt: Date;
  progress?: number;
  message?: string;
  events: JobProgressEvent[];
  /** Which of `job:accepted` (1) and `job:started` (2) the node sent (the flood budget spares each once). */
  announced?: number;
  /** Settles the waiting REST call with an error (disconnect, replacement, shutdown, cancel). */
  fail(error: OpenClawError): void;
}

/** The two events an agent sends of a job the server gave it (spared the agent's event budget once each). */
export type JobAnnouncement = 'job:accepted' | 'job:started';

type ProgressListener = (job: Job, event: JobProgressEvent) => void;
type EndListener = (job: Job) => void;

/** The jobs in flight, by command id; the dispatcher adds and removes them. */
export class PendingJobs {
  readonly #jobs = new ChurnMap<string, Job>();
  readonly #listeners = new Set<ProgressListener>();
  readonly #endListeners = new Set<EndListener>();
  #changes = 0;

  add(job: Job): void {
    this.#jobs.set(job.commandId, job);
    this.#changes += 1;
  }

  /** The job left its node: answered, failed, timed out or cut off. */
  delete(commandId: string): void {
    const job = this.#jobs.get(commandId);
    if (job === undefined) return;
    this.#jobs.delete(commandId);
    this.#changes += 1;
    for (const listener of this.#endListeners) listener(job);
  }

  /** Counts every job added or deleted: equal counts, the same jobs in flight. */
  get changes(): number {
    return this.#changes;
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** Jobs running on one node, oldest first. */
  forNode(nodeId: string): Job[] {
    return [...this.#jobs.values()].filter((j) => j.nodeId === nodeId);
  }

  /** How many jobs each node has in flight (nodes with none are absent): one pass for a whole list. */
  countByNode(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const job of this.#jobs.values()) counts.set(job.nodeId, (counts.get(job.nodeId) ?? 0) + 1);
    return counts;
  }

  /** True when `commandId` is in flight on that connection (it was given that job). */
  owns(connectionId: string, commandId: string): boolean {
    return this.#jobs.get(commandId)?.connectionId === connectionId;
  }

  /**
   * True for the first `job:accepted` and the first `job:started` of a job that connection was given:
   * the announcements the server asked for when it sent the exec, which the agent's event budget spares.
   */
  takeAnnouncement(connectionId: string, commandId: string, kind: JobAnnouncement): boolean {
    const job = this.#jobs.get(commandId);
    const bit = kind === 'job:accepted' ? 1 : 2;
    if (job?.connectionId !== connectionId || ((job.announced ?? 0) & bit) !== 0) return false;
    job.announced = (job.announced ?? 0) | bit;
    return true;
  }

  /** Record progress from a connection; events for jobs that connection was not given are ignored. */
  recordProgress(connectionId: string, event: JobProgressEvent): boolean {
    const job = this.#jobs.get(event.jobId);
    if (!job || job.connectionId !== connectionId) return false;
    if (event.progress !== undefined) job.progress = event.progress;
    if (event.message !== undefined) job.message = event.message;
    job.events.push(event);
    if (job.events.length > MAX_EVENTS) job.events.splice(0, job.events.length - MAX_EVENTS);
    for (const listener of this.#listeners) listener(job, event);
    return true;
  }

  /** Fail every job of one connection at once (it closed or was replaced). */
  failConnection(connectionId: string, error: () => OpenClawError): number {
    const jobs = [...this.#jobs.values()].filter((j) => j.connectionId === connectionId);
    for (const job of jobs) job.fail(error());
    return jobs.length;
  }

  /** Fail every job (shutdown). */
  failAll(error: () => OpenClawError): void {
    for (const job of [...this.#jobs.values()]) job.fail(error());
  }

  /** Hear every job that leaves its node (the metrics time it); returns the unsubscribe function. */
  onEnd(listener: EndListener): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  /** Subscribe to progress events (the hook for streaming them to REST clients). */
  onProgress(listener: ProgressListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** A job as shown in `GET /api/nodes/:id`. */
export function toPendingJob(job: Job): PendingJob {
  const view: PendingJob = {
    command_id: job.commandId,
    action: job.action,
    started_at: job.startedAt.toISOString(),
  };
  if (job.progress !== undefined) view.progress = job.progress;
  if (job.message !== undefined) view.message = job.message;
  return view;
}
