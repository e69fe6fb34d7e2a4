import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../src/index.js';

describe('createBackoff', () => {
  it('doubles from 1 s up to 60 s', () => {
    const backoff = createBackoff({ jitter: 0 });
    const delays = Array.from({ length: 9 }, () => backoff.next());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    backoff.reset();
    expect(backoff.next()).toBe(1000);
  });

  it('spreads each delay by the jitter, never past the cap', () => {
    const low = createBackoff({ random: () => 0 });
    const high = createBackoff({ random: () => 1 });
    expect([low.next(), low.next()]).toEqual([500, 1000]);
    expect([high.next(), high.next()]).toEqual([1500, 3000]);
    const capped = createBackoff({ random: () => 1, initialMs: 60_000 });
    expect(capped.next()).toBe(60_000);
  });
});
