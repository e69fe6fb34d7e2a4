import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { JobProgressEvent } from '@openclaw-node/core';
import { createJobReporter } from '../../src/executor/job-reporter.js';

function reporter(options: { intervalMs?: number; maxBatchBytes?: number } = {}) {
  const events: JobProgressEvent[] = [];
  const r = createJobReporter({ jobId: 'j1', emit: (e) => events.push(e), intervalMs: 1000, ...options });
  return { r, events };
}

describe('JobReporter', () => {
  it('sends the first progress at once, holds the rest and sends only the latest', () => {
    const { r, events } = reporter();
    r.progress(0.1, 'one');
    r.progress(0.2, 'two');
    r.progress(0.3, 'three');
    expect(events).toEqual([{ jobId: 'j1', progress: 0.1, message: 'one' }]);
    r.close();
    expect(events).toEqual([
      { jobId: 'j1', progress: 0.1, message: 'one' },
      { jobId: 'j1', progress: 0.3, message: 'three' },
    ]);
  });

  it('sends the held progress when the interval has passed', async () => {
    const { r, events } = reporter({ intervalMs: 20 });
    r.progress(0.5);
    r.progress(0.6);
    await sleep(80);
    expect(events.map((e) => e.progress)).toEqual([0.5, 0.6]);
    r.close();
  });

  it('clamps progress to 0..1 and ignores values that are not numbers', () => {
    const { r, events } = reporter({ intervalMs: 0 });
    r.progress(-3);
    r.progress(42, 'over');
    r.progress(Number.NaN);
    r.progress(Number.NaN, 'message only');
    r.close();
    expect(events).toEqual([
      { jobId: 'j1', progress: 0 },
      { jobId: 'j1', progress: 1, message: 'over' },
      { jobId: 'j1', message: 'message only' },
    ]);
  });

  it('batches output lines per stream and reports dropped lines', () => {
    const { r, events } = reporter({ maxBatchBytes: 12 });
    r.output('stdout', 'frame 1');
    r.output('stderr', 'warning');
    r.output('stdout', 'frame 2');
    r.output('stdout', 'frame 3');
    r.close();
    expect(events).toEqual([
      { jobId: 'j1', stream: 'stdout', chunk: 'frame 1\n[openclaw: 2 lines dropped]\n' },
      { jobId: 'j1', stream: 'stderr', chunk: 'warning\n' },
    ]);
  });

  it('goes quiet after close, so a detached handler cannot report for a finished job', () => {
    const { r, events } = reporter();
    r.close();
    r.progress(0.9);
    r.output('log', 'late');
    expect(events).toEqual([]);
  });
});
