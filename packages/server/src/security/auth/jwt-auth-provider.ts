import { createPublicKey, type KeyObject } from 'node:crypto';
import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { AuthProvider } from './auth-provider.js';
import { principalFromClaims } from './jwt-claims.js';
import { readPem, resolveJwtOptions, type JwtAuthOptions } from './jwt-options.js';

/** Compact JWS shape: three base64url parts (the signature may be empty, as in `alg: none`). */
const JWT_SHAPE = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Largest token looked at: anything longer is refused before decoding. */
const MAX_JWT_LENGTH = 16 * 1024;
/** At most one "keys unavailable" error line per this period. */
const KEYS_LOG_EVERY_MS = 60_000;

/** True when a credential has the shape of a JWT (so the composite provider asks the JWT provider). */
export function looksLikeJwt(credential: string): boolean {
  return credential.length <= MAX_JWT_LENGTH && JWT_SHAPE.test(credential);
}

/** jose's error codes → why the token was refused (details.reason) and what the caller is told. */
const REASONS: Record<string, [reason: string, message: string]> = {
  ERR_JWT_EXPIRED: ['expired', 'The token has expired'],
  ERR_JOSE_ALG_NOT_ALLOWED: [
    'algorithm',
    'The token is signed with an algorithm this server does not accept',
  ],
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ['signature', 'The token signature does not verify'],
  ERR_JWKS_NO_MATCHING_KEY: [
    'signature',
    'The token is signed with a key the identity provider does not publish',
  ],
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: ['signature', 'The token does not name its signing key unambiguously'],
  ERR_JWS_INVALID: ['malformed', 'The token is not a valid JWS'],
  ERR_JWT_INVALID: ['malformed', 'The token is not a valid JWT'],
  ERR_JOSE_NOT_SUPPORTED: ['algorithm', 'The token uses an unsupported algorithm or key'],
  ERR_JWKS_TIMEOUT: [
    'keys_unavailable',
    "The token could not be verified: the identity provider's keys are unavailable",
  ],
  ERR_JWKS_INVALID: [
    'keys_unavailable',
    "The token could not be verified: the identity provider's keys are unavailable",
  ],
};

function claimReason(claim: string, reason: string): [string, string] {
  if (claim === 'nbf') return ['not_yet_valid', 'The token is not valid yet'];
  if (claim === 'iat') return ['not_yet_valid', 'The token was issued in the future'];
  if (claim === 'aud') return ['audience', 'The token was issued for another audience'];
  if (claim === 'iss') return ['issuer', 'The token was issued by another issuer'];
  if (reason === 'missing') return ['claims', `The token has no ${claim} claim`];
  return ['claims', `The token's ${claim} claim is not valid`];
}

/**
 * An AuthProvider for JWT bearer tokens (jose): signature through a JWKS URL (cached, refetched at
 * most every cooldown), a static public key, or an explicit HMAC secret; issuer, audience, exp/nbf with
 * clock tolerance; roles, scopes and node/action globs from configurable claims. A refusal throws
 * AUTH_INVALID with `details.reason`; an unreachable JWKS is logged and refused, never a 500.
 * @example createJwtAuthProvider({ issuer: 'https://idp', audience: 'openclaw', jwksUrl: 'https://idp/jwks' }, logger)
 */
export function createJwtAuthProvider(options: JwtAuthOptions, logger?: Logger): AuthProvider {
  const o = resolveJwtOptions(options);
  const publicKey: KeyObject | undefined = o.publicKey
    ? toPublicKey(readPem(o.publicKey, 'publicKey'))
    : undefined;
  const secret = o.secret ? new TextEncoder().encode(o.secret) : undefined;
  const jwks = o.jwksUrl
    ? createRemoteJWKSet(new URL(o.jwksUrl), {
        timeoutDuration: o.jwksTimeoutMs ?? 5000,
        cooldownDuration: o.jwksCooldownMs ?? 30_000,
        cacheMaxAge: o.jwksCacheMaxAgeMs ?? 600_000,
      })
    : undefined;
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg?.startsWith('HS')) {
      if (secret) return secret;
    } else if (jwks) {
      return jwks(header, token);
    } else if (publicKey) {
      return publicKey;
    }
    throw new OpenClawError('AUTH_INVALID', REASONS.ERR_JOSE_ALG_NOT_ALLOWED![1], {
      details: { reason: 'algorithm' },
    });
  };
  let lastKeysLog = -Infinity;

  return {
    async authenticate(credential) {
      if (!looksLikeJwt(credential)) return null;
      try {
        const { payload } = await jwtVerify(credential, getKey, {
          issuer: o.issuer,
          audience: o.audience,
          algorithms: o.algorithms,
          clockTolerance: o.clockToleranceSec,
          requiredClaims: ['exp'],
          // With a maximum age, jose requires `iat` and refuses one too old or in the future.
          ...(o.maxTokenAgeS === undefined ? {} : { maxTokenAge: o.maxTokenAgeS }),
        });
        // Without one, an `iat` in the future is still refused: jose only checks it with maxTokenAge.
        if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + o.clockToleranceSec) {
          throw new OpenClawError('AUTH_INVALID', 'The token was issued in the future', {
            details: { reason: 'not_yet_valid' },
          });
        }
        return principalFromClaims(payload, o);
      } catch (error) {
        if (isOpenClawError(error)) throw error;
        const code = (error as { code?: unknown }).code;
        const known = typeof code === 'string' ? REASONS[code] : undefined;
        // Without a jose code the failure is the JWKS fetch itself (connection refused, bad JSON).
        let [reason, message] =
          known ?? (jwks ? ['keys_unavailable', ''] : ['malformed', 'The token could not be verified']);
        if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
          const e = error as { claim?: string; reason?: string };
          [reason, message] = claimReason(e.claim ?? 'unknown', e.reason ?? '');
        }
        if (reason === 'keys_unavailable') {
          message = REASONS.ERR_JWKS_TIMEOUT![1];
          if (Date.now() - lastKeysLog >= KEYS_LOG_EVERY_MS) {
            lastKeysLog = Date.now();
            logger?.error(
              { jwks_url: o.jwksUrl, code, reason: (error as Error).message },
              'cannot fetch the JWKS of the identity provider: JWT bearer tokens are refused until it answers',
            );
          }
        }
        throw new OpenClawError('AUTH_INVALID', message, { details: { reason } });
      }
    },
  };
}

function toPublicKey(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.type !== 'public') throw new Error('not a public key');
    return key;
  } catch (cause) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `auth.jwt.publicKey is not a PEM public key or certificate: ${cause instanceof Error ? cause.message : String(cause)}`,
      { details: { field: 'jwt.publicKey' }, cause },
    );
  }
}
