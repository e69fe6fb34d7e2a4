import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createToken, createTokenAuthProvider, parseTokensFile } from '../../src/index.js';
import { generateToken } from '../../src/security/auth/token-generator.js';

describe('generateToken', () => {
  it('makes 43-character base64url tokens, a new one each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('createToken', () => {
  it('returns the token once and an entry with only its SHA-256, ready to paste under tokens:', () => {
    const made = createToken({
      name: 'ci',
      roles: ['operator'],
      nodes: ['ws-*'],
      actions: ['explorer.*', 'rv.*'],
    });
    expect(made.entry).toEqual({
      name: 'ci',
      sha256: createHash('sha256').update(made.token).digest('hex'),
      roles: ['operator'],
      nodes: ['ws-*'],
      actions: ['explorer.*', 'rv.*'],
    });
    expect(made.yaml).not.toContain(made.token);
    const parsed = parseTokensFile(`tokens:\n${made.yaml}`, 'tokens.yaml');
    expect(parsed).toEqual([made.entry]);
    expect(createTokenAuthProvider(parsed).authenticate(made.token)).toMatchObject({ name: 'ci' });
  });

  it.each([
    [{ name: 'bad name', roles: ['admin'] }, 'name'],
    [{ name: 'x', roles: ['root'] }, 'roles[0]'],
    [{ name: 'x', roles: [] }, 'roles'],
    [{ name: 'x', roles: ['agent'], nodes: ['ws 1'] }, 'nodes[0]'],
  ])('refuses %j naming the field', (request, field) => {
    expect(() => createToken(request)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field } }),
    );
  });
});
