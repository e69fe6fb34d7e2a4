import { describe, expect, it } from 'vitest';
import { compareStreamIds } from '../../src/jobs/store/redis/redis-event-feed.js';

describe('compareStreamIds', () => {
  it('orders by time, then by sequence, as numbers and not as text', () => {
    const ids = ['1000-0', '999-5', '999-10', '0-0', '1000-2', '999-9', '10000-0', '1000'];
    const sorted = [...ids].sort(compareStreamIds);
    expect(sorted).toEqual(['0-0', '999-5', '999-9', '999-10', '1000-0', '1000', '1000-2', '10000-0']);
  });

  it('is exact past 2^53, where a Number would round', () => {
    const big = '1796639402851-9007199254740993';
    const next = '1796639402851-9007199254740994';
    expect(compareStreamIds(big, next)).toBe(-1);
    expect(compareStreamIds(next, big)).toBe(1);
    expect(compareStreamIds(big, big)).toBe(0);
  });

  it('treats a missing sequence as 0', () => {
    expect(compareStreamIds('5', '5-0')).toBe(0);
    expect(compareStreamIds('5', '5-1')).toBe(-1);
  });
});
