import { describe, expect, it } from 'vitest';
import { inChunks } from '../../src/jobs/fan-out.js';

describe('inChunks (fan-out stores and sends a chunk per event-loop turn)', () => {
  it('hands every item over once, in order, with its offset', async () => {
    const items = Array.from({ length: 1234 }, (_, i) => i);
    const chunks: { first: number; size: number; offset: number }[] = [];
    const results = await inChunks(items, (chunk, offset) => {
      chunks.push({ first: chunk[0]!, size: chunk.length, offset });
      return chunk.map((item, i) => ({ item, at: offset + i }));
    });
    expect(chunks).toEqual([
      { first: 0, size: 500, offset: 0 },
      { first: 500, size: 500, offset: 500 },
      { first: 1000, size: 234, offset: 1000 },
    ]);
    expect(results.map((r) => r.item)).toEqual(items);
    expect(results.every((r) => r.at === r.item)).toBe(true);
    expect(await inChunks([], () => [1])).toEqual([]);
  });

  it('lets other events run between chunks', async () => {
    let other = 0;
    const seen: number[] = [];
    setImmediate(() => (other += 1));
    await inChunks(
      Array.from({ length: 1001 }, (_, i) => i),
      (chunk) => (seen.push(other), chunk),
    );
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBeGreaterThan(0);
  });
});
