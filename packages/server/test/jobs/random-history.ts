import type { JobRecord } from '../../src/jobs/index.js';

/** A seeded generator of numbers in [0, 1) (a linear congruential one): a history replays from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The state a store's write left the job in, or `err <code>` when it refused: two stores compared. */
export function stateOrCode(write: Promise<JobRecord>): Promise<string> {
  return write.then(
    (job) => job.state as string,
    (error: { code?: string }) => `err ${error.code}`,
  );
}
