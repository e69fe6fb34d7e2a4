import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';

describe('backoffDelay', () => {
  it('doubles from initialMs up to maxMs without jitter', () => {
    const delays = [0, 1, 2, 3, 6, 7, 40].map((n) => backoffDelay(n, { jitter: 0 }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });

  it('spreads each delay over ±jitter, never past maxMs', () => {
    expect(backoffDelay(1, { random: () => 0 })).toBe(1000);
    expect(backoffDelay(1, { random: () => 1 })).toBe(3000);
    expect(backoffDelay(9, { random: () => 1 })).toBe(60_000);
  });

  it('gives full jitter, 0 to base × 2^attempt, with half the base and jitter 1', () => {
    const full = (attempt: number, r: number) =>
      backoffDelay(attempt, { initialMs: 250, jitter: 1, maxMs: Infinity, random: () => r });
    expect([full(0, 0), full(0, 1), full(3, 0.5), full(12, 1)]).toEqual([0, 500, 2000, 500 * 4096]);
  });
});
