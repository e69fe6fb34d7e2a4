import { describe, expect, it } from 'vitest';
import { compareIds, decodeCursor, encodeCursor } from '../../src/jobs/store/cursor.js';
import { appendToTail, capLine, toLogLines } from '../../src/jobs/store/log-tail.js';

describe('log lines', () => {
  it('caps a line with an ellipsis inside the limit', () => {
    expect(capLine('abcdef', 4)).toBe('abc…');
    expect(capLine('abcd', 4)).toBe('abcd');
    expect(capLine('ab\r', 4)).toBe('ab');
  });

  it('splits entries on newlines, keeps blank lines inside, and keeps the last N', () => {
    expect(toLogLines(['a\n\nb\n', 'c'], 10, 10)).toEqual(['a', '', 'b', 'c']);
    expect(toLogLines(['\n'], 10, 10)).toEqual(['']);
    expect(toLogLines(['1\n2\n3\n4'], 10, 2)).toEqual(['3', '4']);
    expect(appendToTail(['a', 'b'], ['c', 'd'], 3)).toEqual(['b', 'c', 'd']);
  });
});

describe('cursor', () => {
  it('round-trips a position as base64url', () => {
    const cursor = encodeCursor({ createdMs: 1736942400000, commandId: 'c/1+é' });
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor)).toEqual({ createdMs: 1736942400000, commandId: 'c/1+é' });
  });

  it('orders ids by code point, like SQLite BINARY on UTF-8', () => {
    const ids = ['b', 'a', 'ab', '\u{1F600}', '\uFFFD', 'A'];
    expect([...ids].sort(compareIds)).toEqual(['A', 'a', 'ab', 'b', '\uFFFD', '\u{1F600}']);
  });
});
