import type { JobProgressEvent } from '@openclaw-node/core';

const STREAMS = new Set(['stdout', 'stderr', 'log']);
const MAX_MESSAGE = 1000;
const MAX_CHUNK = 64 * 1024;

/** A `job:progress` event if well-formed (bounded sizes, progress in 0..1), else null: it is dropped. */
export function parseProgress(value: unknown): JobProgressEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.jobId !== 'string' || v.jobId.length > 64) return null;
  const event: JobProgressEvent = { jobId: v.jobId };
  if (v.progress !== undefined) {
    if (typeof v.progress !== 'number' || !(v.progress >= 0 && v.progress <= 1)) return null;
    event.progress = v.progress;
  }
  if (v.message !== undefined) {
    if (typeof v.message !== 'string') return null;
    event.message = v.message.slice(0, MAX_MESSAGE);
  }
  if (v.stream !== undefined || v.chunk !== undefined) {
    if (typeof v.stream !== 'string' || !STREAMS.has(v.stream) || typeof v.chunk !== 'string') return null;
    event.stream = v.stream as NonNullable<JobProgressEvent['stream']>;
    event.chunk = v.chunk.slice(-MAX_CHUNK);
  }
  return event;
}
