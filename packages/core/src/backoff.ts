export interface BackoffDelayOptions {
  /** The delay of attempt 0 before jitter. Default 1 s. */
  initialMs?: number;
  /** Cap on every delay. Default 60 s. */
  maxMs?: number;
  /** 0..1: the delay is drawn uniformly from ±jitter around the exponential value. Default 0.5. */
  jitter?: number;
  random?: () => number;
}

/**
 * The delay before retry `attempt` (0-based): initialMs × 2^attempt, capped at maxMs, spread by
 * ±jitter so that many clients retrying at once spread out. `jitter: 1` with half the base is
 * "full jitter" (uniform from 0 to base × 2^attempt).
 * @example backoffDelay(3, { initialMs: 1000, jitter: 0 }) // 8000
 */
export function backoffDelay(attempt: number, options: BackoffDelayOptions = {}): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  const delay = base * (1 - jitter + 2 * jitter * random());
  return Math.round(Math.min(max, Math.max(0, delay)));
}
