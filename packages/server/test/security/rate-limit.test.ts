import { describe, expect, it } from 'vitest';
import { createMemoryFailureCounter, createMemoryRateLimiter } from '../../src/security/rate-limit.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('createMemoryFailureCounter', () => {
  it('limits a key after `limit` failures within the window, and frees it as they age out', () => {
    const c = clock();
    const failures = createMemoryFailureCounter({ limit: 3, windowMs: 60_000, now: c.now });
    expect(failures.record('10.0.0.1')).toEqual({ limited: false, retryAfterS: 0 });
    c.advance(10_000);
    failures.record('10.0.0.1');
    expect(failures.check('10.0.0.1').limited).toBe(false);
    c.advance(10_000);
    expect(failures.record('10.0.0.1')).toEqual({ limited: true, retryAfterS: 40 });
    expect(failures.check('10.0.0.2').limited).toBe(false);
    c.advance(40_000);
    expect(failures.check('10.0.0.1')).toEqual({ limited: false, retryAfterS: 0 });
  });

  it('forgets the least recently used keys beyond maxKeys', () => {
    const failures = createMemoryFailureCounter({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    failures.record('a');
    failures.record('b');
    failures.record('c');
    expect(failures.check('a').limited).toBe(false);
    expect(failures.check('c').limited).toBe(true);
  });
});

describe('createMemoryRateLimiter', () => {
  it('allows a burst, then the refill rate', () => {
    const c = clock();
    const limiter = createMemoryRateLimiter({ perMinute: 60, burst: 3, now: c.now });
    for (let i = 0; i < 3; i += 1) expect(limiter.take('ci').limited).toBe(false);
    expect(limiter.take('ci')).toEqual({ limited: true, retryAfterS: 1 });
    expect(limiter.take('other').limited).toBe(false);
    c.advance(1000);
    expect(limiter.take('ci').limited).toBe(false);
    expect(limiter.take('ci').limited).toBe(true);
  });

  it('is off at 0 per minute', () => {
    const limiter = createMemoryRateLimiter({ perMinute: 0, burst: 1 });
    for (let i = 0; i < 100; i += 1) expect(limiter.take('x').limited).toBe(false);
  });
});
