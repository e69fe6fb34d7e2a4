export interface BackoffOptions {
  /** First delay. Default 1 s. */
  initialMs?: number;
  /** Cap. Default 60 s. */
  maxMs?: number;
  /** 0..1: each delay is drawn from ±jitter around the exponential value. Default 0.5. */
  jitter?: number;
  random?: () => number;
}

/** Jittered exponential backoff: 1 s, 2 s, 4 s… capped at 60 s, each ±50 %, so a studio's agents spread out. */
export interface Backoff {
  next(): number;
  reset(): void;
  readonly attempts: number;
}

/** Create a backoff sequence. */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  let attempts = 0;
  return {
    next() {
      const base = Math.min(max, initial * 2 ** Math.min(attempts, 30));
      attempts += 1;
      const delay = base * (1 - jitter + 2 * jitter * random());
      return Math.round(Math.min(max, Math.max(0, delay)));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
