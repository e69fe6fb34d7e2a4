/** What a limiter decided for one key. */
export interface RateDecision {
  limited: boolean;
  /** Whole seconds until the key may try again (0 when not limited). */
  retryAfterS: number;
}

/**
 * Counts failures per key in a sliding window (failed authentications per address). In memory today;
 * a shared (Redis) implementation for several server processes fits the same interface.
 */
export interface FailureCounter {
  /** Whether `key` is over the limit, without counting anything. */
  check(key: string): RateDecision | Promise<RateDecision>;
  /** Count one failure of `key`; the decision includes it. */
  record(key: string): RateDecision | Promise<RateDecision>;
}

/** Spends one unit of a per-key budget (execs per token). */
export interface RateLimiter {
  take(key: string): RateDecision | Promise<RateDecision>;
  /**
   * Spend `units` more without deciding (the budget may go below zero, so the key waits longer):
   * a request that already passed `take` and then turned out to cost more (a fan-out's jobs).
   */
  charge(key: string, units: number): void | Promise<void>;
}

/** The in-memory implementations answer synchronously. */
export interface MemoryFailureCounter extends FailureCounter {
  check(key: string): RateDecision;
  record(key: string): RateDecision;
}

/** The in-memory implementation answers synchronously. */
export interface MemoryRateLimiter extends RateLimiter {
  take(key: string): RateDecision;
  charge(key: string, units: number): void;
}

interface ClockOptions {
  /** Keys remembered at most; the least recently used are forgotten first. Default 10 000. */
  maxKeys?: number;
  now?: () => number;
}

function remember<V>(map: Map<string, V>, key: string, value: V, maxKeys: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > maxKeys) map.delete(map.keys().next().value!);
}

/** A FailureCounter in memory: at most `limit` failures per key in any `windowMs`. */
export function createMemoryFailureCounter(
  options: { limit: number; windowMs: number } & ClockOptions,
): MemoryFailureCounter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const decide = (times: number[], at: number): RateDecision => {
    while (times.length > 0 && times[0]! <= at - windowMs) times.shift();
    if (times.length < limit) return { limited: false, retryAfterS: 0 };
    return { limited: true, retryAfterS: Math.max(1, Math.ceil((times[0]! + windowMs - at) / 1000)) };
  };
  return {
    check(key) {
      const times = failures.get(key);
      if (!times) return { limited: false, retryAfterS: 0 };
      const decision = decide(times, now());
      if (times.length === 0) failures.delete(key);
      return decision;
    },
    record(key) {
      const at = now();
      const times = failures.get(key) ?? [];
      times.push(at);
      // Only the newest `limit` matter for the decision.
      if (times.length > limit) times.splice(0, times.length - limit);
      remember(failures, key, times, maxKeys);
      return decide(times, at);
    },
  };
}

/**
 * A RateLimiter in memory: a token bucket per key holding at most `burst` units, refilled at
 * `perMinute` units per minute. `perMinute: 0` turns it off.
 */
export function createMemoryRateLimiter(
  options: { perMinute: number; burst: number } & ClockOptions,
): MemoryRateLimiter {
  const { perMinute } = options;
  const burst = Math.max(1, options.burst);
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { units: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(key) {
      if (perMinute <= 0) return { limited: false, retryAfterS: 0 };
      const at = now();
      const previous = buckets.get(key);
      const units = previous ? Math.min(burst, previous.units + (at - previous.at) * perMs) : burst;
      if (units >= 1) {
        remember(buckets, key, { units: units - 1, at }, maxKeys);
        return { limited: false, retryAfterS: 0 };
      }
      remember(buckets, key, { units, at }, maxKeys);
      return { limited: true, retryAfterS: Math.max(1, Math.ceil((1 - units) / perMs / 1000)) };
    },
    charge(key, units) {
      if (perMinute <= 0 || !(units > 0)) return;
      const at = now();
      const previous = buckets.get(key);
      const left = previous ? Math.min(burst, previous.units + (at - previous.at) * perMs) : burst;
      remember(buckets, key, { units: left - units, at }, maxKeys);
    },
  };
}
