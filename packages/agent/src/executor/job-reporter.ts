import type { JobProgressEvent } from '@openclaw-node/core';

export type OutputStream = NonNullable<JobProgressEvent['stream']>;

export interface JobReporterOptions {
  jobId: string;
  emit: (event: JobProgressEvent) => void;
  /** Least time between two progress events, and how long output lines are batched. Default 100 ms. */
  intervalMs?: number;
  /** Most output bytes per stream per batch; lines past it are counted and dropped. Default 64 KiB. */
  maxBatchBytes?: number;
}

/** Sends one job's progress and output to the server without flooding the connection. */
export interface JobReporter {
  /** Clamped to 0..1; at most one event per interval, and the latest value is never lost. */
  progress(fraction: number, message?: string): void;
  output(stream: OutputStream, line: string): void;
  /** Send what is pending and go quiet: called just before the job's ack. */
  close(): void;
}

const MAX_LINE = 8 * 1024;
const MAX_MESSAGE = 1000;

/** Create the reporter for one job. */
export function createJobReporter(options: JobReporterOptions): JobReporter {
  const { jobId, emit } = options;
  const interval = options.intervalMs ?? 100;
  const maxBatch = options.maxBatchBytes ?? 64 * 1024;
  let closed = false;
  let lastProgressAt = -Infinity;
  let pending: Pick<JobProgressEvent, 'progress' | 'message'> | null = null;
  let progressTimer: NodeJS.Timeout | undefined;
  let outputTimer: NodeJS.Timeout | undefined;
  const batches = new Map<OutputStream, { lines: string[]; bytes: number; dropped: number }>();

  const sendProgress = () => {
    clearTimeout(progressTimer);
    progressTimer = undefined;
    if (!pending) return;
    emit({ jobId, ...pending });
    pending = null;
    lastProgressAt = performance.now();
  };

  const sendOutput = () => {
    clearTimeout(outputTimer);
    outputTimer = undefined;
    for (const [stream, batch] of batches) {
      const note = batch.dropped > 0 ? `[openclaw: ${batch.dropped} lines dropped]\n` : '';
      const text = batch.lines.length > 0 ? `${batch.lines.join('\n')}\n` : '';
      if (text || note) emit({ jobId, stream, chunk: text + note });
    }
    batches.clear();
  };

  return {
    progress(fraction, message) {
      if (closed) return;
      const next: Pick<JobProgressEvent, 'progress' | 'message'> = {};
      if (typeof fraction === 'number' && Number.isFinite(fraction))
        next.progress = Math.min(1, Math.max(0, fraction));
      if (typeof message === 'string' && message !== '') next.message = message.slice(0, MAX_MESSAGE);
      if (next.progress === undefined && next.message === undefined) return;
      pending = next;
      const wait = lastProgressAt + interval - performance.now();
      if (wait <= 0) sendProgress();
      else progressTimer ??= setTimeout(sendProgress, wait);
    },
    output(stream, line) {
      if (closed) return;
      const text = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
      let batch = batches.get(stream);
      if (!batch) batches.set(stream, (batch = { lines: [], bytes: 0, dropped: 0 }));
      if (batch.bytes + text.length > maxBatch) batch.dropped += 1;
      else {
        batch.lines.push(text);
        batch.bytes += text.length + 1;
      }
      outputTimer ??= setTimeout(sendOutput, interval);
    },
    close() {
      if (closed) return;
      sendOutput();
      sendProgress();
      closed = true;
    },
  };
}
