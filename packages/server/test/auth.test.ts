import { isOpenClawError } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { createTokenAuthProvider } from '../src/index.js';
import { hasRole } from '../src/security/auth/auth-provider.js';
import { authenticate, parseBearer } from '../src/security/auth/bearer.js';

describe('createTokenAuthProvider', () => {
  const provider = createTokenAuthProvider([
    { name: 'all', token: 'alpha-token' },
    { name: 'agents', token: 'beta-token', roles: ['agent'] },
  ]);

  it('returns the principal of a matching token, with full access (agent and admin) by default', () => {
    expect(provider.authenticate('alpha-token')).toEqual({
      name: 'all',
      roles: ['agent', 'admin'],
      via: 'token',
    });
    expect(provider.authenticate('beta-token')).toEqual({ name: 'agents', roles: ['agent'], via: 'token' });
  });

  it('returns null for a wrong token, a prefix, or a token of another length', () => {
    expect(provider.authenticate('alpha-toke')).toBeNull();
    expect(provider.authenticate('alpha-token-and-more')).toBeNull();
    expect(provider.authenticate('')).toBeNull();
  });
});

describe('hasRole', () => {
  it('lets admin act as every role', () => {
    expect(hasRole({ name: 'a', roles: ['admin'] }, 'agent')).toBe(true);
    expect(hasRole({ name: 'o', roles: ['operator'] }, 'agent')).toBe(false);
  });
});

describe('parseBearer', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer   abc  ', 'abc'],
    ['BEARER a.b-c_d=', 'a.b-c_d='],
  ])('reads %j', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([
    [undefined, 'AUTH_REQUIRED'],
    ['', 'AUTH_REQUIRED'],
    ['Bearer', 'AUTH_INVALID'],
    ['Basic abc', 'AUTH_INVALID'],
    ['abc', 'AUTH_INVALID'],
  ])('rejects %j with %s', (header, code) => {
    try {
      parseBearer(header);
      expect.unreachable();
    } catch (error) {
      expect(isOpenClawError(error) && error.code).toBe(code);
    }
  });
});

describe('authenticate', () => {
  const provider = createTokenAuthProvider([{ name: 'ops', token: 'ops-token', roles: ['operator'] }]);
  it('throws FORBIDDEN for a principal without the role and AUTH_INVALID for an unknown token', async () => {
    await expect(authenticate(provider, 'ops-token', 'agent')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(authenticate(provider, 'nope', 'operator')).rejects.toMatchObject({ code: 'AUTH_INVALID' });
    await expect(authenticate(provider, 'ops-token', 'operator')).resolves.toEqual({
      name: 'ops',
      roles: ['operator'],
      via: 'token',
    });
  });
});
