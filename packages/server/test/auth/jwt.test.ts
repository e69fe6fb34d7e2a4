import { createHmac } from 'node:crypto';
import { isOpenClawError } from '@openclaw-node/core';
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthProvider, JwtAuthOptions } from '../../src/index.js';
import { createJwtAuthProvider, looksLikeJwt } from '../../src/security/auth/jwt-auth-provider.js';
import { memoryLogger } from '@openclaw-node/test-support/server';
import {
  makeKey,
  signJwt,
  startJwksServer,
  unsignedJwt,
  type JwksServer,
  type SigningKey,
} from './jwks-server.js';

const ISSUER = 'https://idp.studio.test/realms/vfx';
const AUDIENCE = 'openclaw-api';
const now = (): number => Math.floor(Date.now() / 1000);

let rsa: SigningKey;
let ec: SigningKey;
let ed: SigningKey;
let stranger: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  [rsa, ec, ed, stranger] = await Promise.all([
    makeKey('RS256', 'rsa-1'),
    makeKey('ES256', 'ec-1'),
    makeKey('EdDSA', 'ed-1'),
    makeKey('RS256', 'rsa-1'),
  ]);
  jwks = await startJwksServer([rsa, ec, ed]);
});

afterAll(async () => {
  await jwks.close();
});

/** `jwksUrl: undefined` in `extra` leaves the JWKS out. */
function provider(
  extra: Omit<Partial<JwtAuthOptions>, 'jwksUrl'> & { jwksUrl?: string | undefined } = {},
  logs = memoryLogger(),
): AuthProvider {
  const { jwksUrl, ...rest } = { jwksUrl: jwks.url, ...extra };
  return createJwtAuthProvider(
    { issuer: ISSUER, audience: AUDIENCE, ...(jwksUrl === undefined ? {} : { jwksUrl }), ...rest },
    logs.logger,
  );
}

const sign = (
  key: SigningKey,
  claims: Record<string, unknown>,
  options: Parameters<typeof signJwt>[2] = {},
) => signJwt(key, claims, { issuer: ISSUER, audience: AUDIENCE, ...options });

async function refusal(
  auth: AuthProvider,
  token: string,
): Promise<{ code: string; message: string; reason: unknown }> {
  try {
    await auth.authenticate(token);
  } catch (error) {
    if (isOpenClawError(error))
      return { code: error.code, message: error.message, reason: error.details?.reason };
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('createJwtAuthProvider', () => {
  it('accepts RS256, ES256 and EdDSA tokens from the JWKS and maps roles, nodes and actions', async () => {
    const auth = provider();
    for (const key of [rsa, ec, ed]) {
      const token = await sign(key, {
        roles: ['operator', 'unknown-role'],
        openclaw_nodes: ['ws-*'],
        openclaw_actions: 'rv.* explorer.*',
      });
      const principal = await auth.authenticate(token);
      expect(principal).toMatchObject({
        name: 'alice',
        roles: ['operator'],
        nodes: ['ws-*'],
        actions: ['rv.*', 'explorer.*'],
        via: 'jwt',
      });
      expect(principal?.expiresAt).toBeInstanceOf(Date);
    }
  });

  it('maps scopes (openclaw:exec → operator, openclaw:read → viewer) and IdP groups through roleMap', async () => {
    const auth = provider({
      rolesClaim: 'realm_access.roles',
      roleMap: { 'vfx-pipeline-admins': 'admin' },
      scopeClaim: 'scp',
    });
    const token = await sign(rsa, {
      realm_access: { roles: ['vfx-pipeline-admins', 'offline_access'] },
      scp: 'openid openclaw:exec openclaw:read',
    });
    expect((await auth.authenticate(token))?.roles).toEqual(['operator', 'viewer', 'admin']);
    const none = await sign(rsa, { scope: 'openid profile' });
    expect((await provider().authenticate(none))?.roles).toEqual([]);
  });

  it('refuses an expired token, and accepts one expired within the clock tolerance', async () => {
    const expired = await sign(rsa, { exp: now() - 120 });
    expect(await refusal(provider(), expired)).toEqual({
      code: 'AUTH_INVALID',
      message: 'The token has expired',
      reason: 'expired',
    });
    const justExpired = await sign(rsa, { exp: now() - 10 });
    expect(await provider({ clockToleranceSec: 30 }).authenticate(justExpired)).toMatchObject({
      name: 'alice',
    });
    expect((await refusal(provider({ clockToleranceSec: 0 }), justExpired)).reason).toBe('expired');
  });

  it('refuses a token that is not valid yet', async () => {
    const early = await sign(rsa, { nbf: now() + 600 });
    expect(await refusal(provider(), early)).toMatchObject({ reason: 'not_yet_valid' });
  });

  it('refuses another audience or another issuer', async () => {
    expect(await refusal(provider(), await sign(rsa, {}, { audience: 'another-api' }))).toEqual({
      code: 'AUTH_INVALID',
      message: 'The token was issued for another audience',
      reason: 'audience',
    });
    expect(await refusal(provider(), await sign(rsa, {}, { issuer: 'https://evil.test' }))).toMatchObject({
      reason: 'issuer',
    });
  });

  it('refuses a token signed by another key, even one claiming a published key id', async () => {
    expect(await refusal(provider(), await sign(stranger, {}))).toMatchObject({ reason: 'signature' });
    expect(await refusal(provider(), await sign(stranger, {}, { kid: 'unknown-kid' }))).toMatchObject({
      reason: 'signature',
    });
  });

  it('refuses alg: none', async () => {
    const token = unsignedJwt({
      sub: 'mallory',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: now() + 300,
      roles: ['admin'],
    });
    expect(looksLikeJwt(token)).toBe(true);
    expect(await refusal(provider(), token)).toMatchObject({ code: 'AUTH_INVALID', reason: 'algorithm' });
  });

  it('refuses HS256 signed with the public key (key confusion), with a static key or a JWKS', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${part({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' })}.${part({
      sub: 'mallory',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: now() + 300,
      roles: ['admin'],
    })}`;
    const forged = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(await refusal(provider({ jwksUrl: undefined, publicKey: pem }), forged)).toMatchObject({
      reason: 'algorithm',
    });
    expect(await refusal(provider(), forged)).toMatchObject({ reason: 'algorithm' });
  });

  it('verifies with a static public key (PEM) instead of a JWKS', async () => {
    const auth = provider({ jwksUrl: undefined, publicKey: await exportSPKI(ec.publicKey) });
    expect(await auth.authenticate(await sign(ec, { roles: ['viewer'] }))).toMatchObject({
      roles: ['viewer'],
    });
    expect((await refusal(auth, await sign(rsa, {}))).code).toBe('AUTH_INVALID');
  });

  it('accepts HS256 only when a secret is configured explicitly', async () => {
    const secret = 's'.repeat(40);
    const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
      sub: 'ci',
      iss: ISSUER,
      aud: AUDIENCE,
      exp: now() + 300,
      roles: ['operator'],
    })}`;
    const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(await provider({ jwksUrl: undefined, secret }).authenticate(token)).toMatchObject({ name: 'ci' });
    expect((await refusal(provider(), token)).reason).toBe('algorithm');
  });

  it('refuses a token without exp, without sub, or with node globs that are not globs', async () => {
    const noExp = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(rsa.privateKey);
    expect(await refusal(provider(), noExp)).toMatchObject({ reason: 'claims' });
    expect(await refusal(provider(), await sign(rsa, { sub: undefined }))).toMatchObject({
      reason: 'claims',
    });
    expect(await refusal(provider(), await sign(rsa, { openclaw_nodes: ['ws 1'] }))).toMatchObject({
      reason: 'claims',
    });
  });

  it('ignores credentials that are not JWTs (static tokens go to the token provider)', async () => {
    expect(await provider().authenticate('Yt3kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8aE2uI0oK3')).toBeNull();
    expect(looksLikeJwt(`a.b.${'c'.repeat(20_000)}`)).toBe(false);
  });

  it('caches the key set instead of fetching it per request', async () => {
    const auth = provider();
    const before = jwks.fetches;
    for (let i = 0; i < 5; i += 1) await auth.authenticate(await sign(rsa, {}));
    expect(jwks.fetches - before).toBe(1);
  });

  it('answers AUTH_INVALID and logs once when the JWKS endpoint is down', async () => {
    const down = await startJwksServer([rsa]);
    const url = down.url;
    await down.close();
    const logs = memoryLogger();
    const auth = provider({ jwksUrl: url, jwksTimeoutMs: 500 }, logs);
    for (let i = 0; i < 3; i += 1) {
      expect(await refusal(auth, await sign(rsa, {}))).toEqual({
        code: 'AUTH_INVALID',
        message: "The token could not be verified: the identity provider's keys are unavailable",
        reason: 'keys_unavailable',
      });
    }
    const lines = logs.logs.filter((l) => String(l.msg).startsWith('cannot fetch the JWKS'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, jwks_url: url });
  });
});

describe('JWT options', () => {
  it.each([
    [{ issuer: '' }, 'jwt.issuer'],
    [{ audience: [] }, 'jwt.audience'],
    [{ jwksUrl: undefined }, 'jwt.jwksUrl'],
    [{ jwksUrl: 'http://idp.example.com/jwks' }, 'jwt.jwksUrl'],
    [{ algorithms: ['HS256'] }, 'jwt.algorithms'],
    [{ algorithms: ['none'] }, 'jwt.algorithms'],
    [{ secret: 'short' }, 'jwt.secret'],
    [{ clockToleranceSec: -1 }, 'jwt.clockToleranceSec'],
    [{ jwksUrl: undefined, publicKey: '/nonexistent/key.pem' }, 'jwt.publicKey'],
  ])('refuses %j with CONFIG_INVALID naming %s', (change, field) => {
    expect(() => provider(change as Partial<JwtAuthOptions>)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: { field } }),
    );
  });
});
