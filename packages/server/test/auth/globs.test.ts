import { describe, expect, it } from 'vitest';
import { isValidGlob, matchGlob, matchesAny } from '../../src/security/auth/globs.js';

describe('matchGlob', () => {
  it.each([
    ['ws-*', 'ws-042', true],
    ['ws-*', 'ws-', true],
    ['ws-*', 'xws-042', false],
    ['ws-0??', 'ws-042', true],
    ['ws-0??', 'ws-0421', false],
    ['rv.*', 'rv.open_sources', true],
    ['rv.*', 'rvx.open', false],
    ['*.ping', 'explorer.ping', true],
    ['*.ping', 'explorer.ping_all', false],
    ['*', '', true],
    ['*a*b*c', 'xxaybzzc', true],
    ['*a*b*c', 'xxaybzzcd', false],
    ['ws-042', 'ws-042', true],
    ['ws-042', 'WS-042', false],
    ['a.b', 'axb', false],
  ])('%s against %s is %s', (glob, value, expected) => {
    expect(matchGlob(glob, value)).toBe(expected);
  });

  it('treats regular-expression characters as themselves, not as patterns', () => {
    expect(matchGlob('ws.1', 'ws-1')).toBe(false);
    expect(isValidGlob('ws-(1|2)')).toBe(false);
    expect(isValidGlob('.*')).toBe(true);
    expect(matchGlob('.*', 'anything')).toBe(false);
    expect(matchGlob('.*', '.x')).toBe(true);
  });

  it('answers a pathological pattern quickly (no exponential backtracking)', () => {
    const glob = `${'*a'.repeat(40)}b`;
    const value = 'a'.repeat(200);
    expect(matchGlob(glob, value)).toBe(false);
  });
});

describe('matchesAny', () => {
  it('matches everything when no globs are given and nothing for an empty list', () => {
    expect(matchesAny(undefined, 'ws-1')).toBe(true);
    expect(matchesAny([], 'ws-1')).toBe(false);
    expect(matchesAny(['ws-*', 'render-*'], 'render-07')).toBe(true);
  });
});

describe('isValidGlob', () => {
  it.each(['ws-*', 'rv.*', '*.ping', 'a?c', 'Node_1'])('accepts %s', (glob) => {
    expect(isValidGlob(glob)).toBe(true);
  });
  it.each(['', 'ws 1', 'ws/1', '[abc]', 'a{b,c}', 'x'.repeat(257), 42])('refuses %j', (glob) => {
    expect(isValidGlob(glob)).toBe(false);
  });
});
