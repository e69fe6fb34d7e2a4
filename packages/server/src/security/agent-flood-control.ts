import type { AgentSocket } from '../gateway/types.js';
import type { JobAnnouncement } from '../jobs/pending-jobs.js';
import { createMemoryRateLimiter } from './rate-limit.js';

export interface AgentFloodOptions {
  agentEventsPerSecond: number;
  agentEventBurst: number;
  progressEventsPerSecond: number;
  progressBurst: number;
  /** Dropped events within a minute after which `flooding` is called. */
  agentFloodDisconnect: number;
  /** Bytes of progress messages and output kept per job; beyond, only the progress number passes. */
  maxProgressBytesPerJob?: number;
  /** True when the connection was given that job (progress for other jobs is ignored and logged). */
  ownsJob?: (socket: AgentSocket, jobId: string) => boolean;
  /**
   * True (once each) for the `job:accepted` and `job:started` the server asked for with an exec to
   * this connection: they are spared the event budget, which is for what an agent sends unasked.
   */
  takeAnnouncement?: (socket: AgentSocket, jobId: string, kind: JobAnnouncement) => boolean;
  logger?: { warn(obj: object, msg: string): void };
}

export interface FloodHooks {
  misbehaved(kind: string, details?: Record<string, unknown>): void;
  flooding(dropped: number): void;
}

/** Installs per-connection event budgets on agent sockets. */
export interface AgentFloodControl {
  install(socket: AgentSocket, hooks: FloodHooks): void;
}

const MAX_JOB_ID = 64;
const ANNOUNCEMENTS = new Set<unknown>(['job:accepted', 'job:started']);

/**
 * Socket middleware that keeps an agent from overwhelming the server: every connection has an event
 * budget, and every job a `job:progress` budget; events beyond a budget are dropped (never reaching
 * the handlers) and counted, with one warning per job. A connection that keeps flooding after
 * `agentFloodDisconnect` drops in a minute is reported so it can be disconnected. Progress that is
 * malformed or for a job this connection was not given is dropped and reported as misbehaviour.
 */
export function createAgentFloodControl(options: AgentFloodOptions): AgentFloodControl {
  const events = createMemoryRateLimiter({
    perMinute: options.agentEventsPerSecond * 60,
    burst: options.agentEventBurst,
    maxKeys: 100_000,
  });
  const progress = createMemoryRateLimiter({
    perMinute: options.progressEventsPerSecond * 60,
    burst: options.progressBurst,
    maxKeys: 100_000,
  });
  const spared = (socket: AgentSocket, packet: unknown[]): boolean => {
    if (!options.takeAnnouncement || !ANNOUNCEMENTS.has(packet[0])) return false;
    const event = packet[1] as { jobId?: unknown } | null | undefined;
    if (typeof event !== 'object' || event === null || typeof event.jobId !== 'string') return false;
    return options.takeAnnouncement(socket, event.jobId, packet[0] as JobAnnouncement);
  };
  return {
    install(socket, hooks) {
      let windowStart = Date.now();
      let droppedInWindow = 0;
      let reported = false;
      const warnedJobs = new Map<string, number>();
      // Text bytes each job stored so far; at most 1000 jobs remembered per connection.
      const storedBytes = new Map<string, number>();
      const maxBytes = options.maxProgressBytesPerJob ?? Number.POSITIVE_INFINITY;
      const keepWithinBytes = (event: Record<string, unknown>, jobId: string): void => {
        const text =
          (typeof event.message === 'string' ? event.message.length : 0) +
          (typeof event.chunk === 'string' ? event.chunk.length : 0);
        if (text === 0) return;
        const used = storedBytes.get(jobId) ?? 0;
        if (used + text <= maxBytes) {
          storedBytes.delete(jobId);
          storedBytes.set(jobId, used + text);
          if (storedBytes.size > 1000) storedBytes.delete(storedBytes.keys().next().value!);
          return;
        }
        // Over the job's budget: the progress number still passes, its text is dropped.
        delete event.message;
        delete event.chunk;
        delete event.stream;
        if (used <= maxBytes) {
          storedBytes.set(jobId, maxBytes + 1);
          options.logger?.warn(
            { node_id: socket.data.nodeId, job_id: jobId, max_bytes: maxBytes },
            'job:progress text over the per-job limit (limits.maxProgressBytesPerJob) is dropped',
          );
        }
      };
      const drop = (): void => {
        const now = Date.now();
        if (now - windowStart >= 60_000) {
          windowStart = now;
          droppedInWindow = 0;
        }
        droppedInWindow += 1;
        if (droppedInWindow > options.agentFloodDisconnect && !reported) {
          reported = true;
          hooks.flooding(droppedInWindow);
        }
      };
      socket.use((packet, next) => {
        if (spared(socket, packet)) return next();
        if (!events.take(socket.id).limited) {
          if (packet[0] !== 'job:progress') return next();
          const event = packet[1] as { jobId?: unknown } | null | undefined;
          const jobId = typeof event === 'object' && event !== null ? event.jobId : undefined;
          if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID) {
            hooks.misbehaved('malformed job:progress event');
            return drop();
          }
          if (options.ownsJob && !options.ownsJob(socket, jobId)) {
            hooks.misbehaved('job:progress for a job this connection was not given', { job_id: jobId });
            return drop();
          }
          if (!progress.take(`${socket.id}:${jobId}`).limited) {
            keepWithinBytes(event as Record<string, unknown>, jobId);
            return next();
          }
          const count = (warnedJobs.get(jobId) ?? 0) + 1;
          warnedJobs.set(jobId, count);
          if (count === 1) {
            if (warnedJobs.size > 1000) warnedJobs.delete(warnedJobs.keys().next().value!);
            options.logger?.warn(
              { node_id: socket.data.nodeId, job_id: jobId, per_second: options.progressEventsPerSecond },
              'job:progress events over budget for this job are dropped',
            );
          }
          return drop();
        }
        drop();
        return undefined;
      });
    },
  };
}
