import { backoffDelay, type BackoffDelayOptions } from '@openclaw-node/core';

export type BackoffOptions = BackoffDelayOptions;

/** Jittered exponential backoff: 1 s, 2 s, 4 s… capped at 60 s, each ±50 %, so a studio's agents spread out. */
export interface Backoff {
  next(): number;
  reset(): void;
  readonly attempts: number;
}

/** Create a backoff sequence (core's backoffDelay, counting the attempts). */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  let attempts = 0;
  return {
    next() {
      const delay = backoffDelay(attempts, options);
      attempts += 1;
      return delay;
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
