import { readFileSync } from 'node:fs';
import { OpenClawError } from '@openclaw-node/core';
import type { Role } from './auth-provider.js';

/** JWT bearer auth: tokens issued by the studio's identity provider (OIDC access tokens). */
export interface JwtAuthOptions {
  /** The `iss` every token must carry, e.g. `https://login.example.com/realms/studio`. */
  issuer: string | string[];
  /** The `aud` every token must carry (the API's identifier at the IdP). */
  audience: string | string[];
  /** Where the IdP publishes its signing keys (JWKS), usually `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** A PEM public key (SPKI) or certificate, or the path of a file holding one, instead of a JWKS URL. */
  publicKey?: string;
  /**
   * A shared secret for HS256/384/512. Only when set are HS algorithms accepted at all, so a token
   * signed with a public key as an HMAC secret (key confusion) is refused. At least 32 bytes.
   */
  secret?: string;
  /** Accepted `alg` values; default RS256, ES256, EdDSA (plus HS256 when a secret is set). `none` never. */
  algorithms?: string[];
  /** Claim holding role names (dots walk into objects: `realm_access.roles`). Default `roles`. */
  rolesClaim?: string;
  /** Claim holding space-separated scopes (`scope`; Azure AD uses `scp`). Default `scope`. */
  scopeClaim?: string;
  /** Claim holding node-id globs. Default `openclaw_nodes`. */
  nodesClaim?: string;
  /** Claim holding action-id globs. Default `openclaw_actions`. */
  actionsClaim?: string;
  /** Claim naming the principal in logs and the audit log. Default `sub`. */
  nameClaim?: string;
  /** Maps values of the roles claim (IdP group names) to roles, e.g. `{ "vfx-pipeline-admins": "admin" }`. */
  roleMap?: Record<string, Role>;
  /** Maps scopes to roles; default `openclaw:admin`→admin, `openclaw:exec`→operator, `openclaw:read`→viewer, `openclaw:agent`→agent. */
  scopeMap?: Record<string, Role>;
  /** Allowed clock difference for exp/nbf/iat, default 30 s. */
  clockToleranceSec?: number;
  /** Refuse tokens whose `iat` is older than this (and tokens without `iat`); default none. */
  maxTokenAgeS?: number;
  /** JWKS fetch timeout, default 5000 ms. */
  jwksTimeoutMs?: number;
  /** How long fetched keys are trusted before a refetch, default 10 min. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between two JWKS fetches triggered by an unknown `kid`, default 30 s. */
  jwksCooldownMs?: number;
}

export const DEFAULT_SCOPE_MAP: Readonly<Record<string, Role>> = {
  'openclaw:admin': 'admin',
  'openclaw:exec': 'operator',
  'openclaw:read': 'viewer',
  'openclaw:agent': 'agent',
};

const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const SYMMETRIC = ['HS256', 'HS384', 'HS512'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function fail(field: string, message: string): never {
  throw new OpenClawError('CONFIG_INVALID', `auth.jwt.${field} ${message}`, {
    details: { field: `jwt.${field}` },
  });
}

/** Read a PEM given inline or as a file path. */
export function readPem(value: string, field: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    return fail(field, `is neither a PEM nor a readable file: ${value} (${code})`);
  }
}

/** Check JWT options and fill defaults; throws CONFIG_INVALID naming the option. */
export function resolveJwtOptions(
  options: JwtAuthOptions,
): Required<
  Pick<
    JwtAuthOptions,
    | 'algorithms'
    | 'rolesClaim'
    | 'scopeClaim'
    | 'nodesClaim'
    | 'actionsClaim'
    | 'nameClaim'
    | 'scopeMap'
    | 'clockToleranceSec'
  >
> &
  JwtAuthOptions {
  const nonEmpty = (v: unknown): boolean =>
    (typeof v === 'string' && v.trim() !== '') ||
    (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== ''));
  if (!nonEmpty(options.issuer)) fail('issuer', 'is required: the `iss` of your identity provider');
  if (!nonEmpty(options.audience))
    fail('audience', 'is required: the `aud` your identity provider puts in tokens for this API');
  if (!options.jwksUrl && !options.publicKey && !options.secret) {
    fail('jwksUrl', 'or publicKey (or secret) is required to verify signatures');
  }
  if (options.jwksUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.jwksUrl);
    } catch {
      fail('jwksUrl', `is not a URL: ${options.jwksUrl}`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      fail('jwksUrl', 'must be an https:// URL (plain http only on localhost)');
    }
  }
  if (options.secret !== undefined && Buffer.byteLength(options.secret) < 32) {
    fail('secret', 'must be at least 32 bytes');
  }
  const algorithms = options.algorithms ?? [
    ...['RS256', 'ES256', 'EdDSA'],
    ...(options.secret ? ['HS256'] : []),
  ];
  if (algorithms.length === 0) fail('algorithms', 'must not be empty');
  for (const alg of algorithms) {
    if (SYMMETRIC.includes(alg) && !options.secret) {
      fail(
        'algorithms',
        `lists ${alg}, which needs a secret: HS algorithms are refused unless auth.jwt.secret is set`,
      );
    }
    if (!ASYMMETRIC.includes(alg) && !SYMMETRIC.includes(alg)) {
      fail(
        'algorithms',
        `lists ${JSON.stringify(alg)}; allowed: ${[...ASYMMETRIC, ...SYMMETRIC].join(', ')}`,
      );
    }
  }
  const tolerance = options.clockToleranceSec ?? 30;
  if (!(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 600)) {
    fail('clockToleranceSec', 'must be 0-600 seconds');
  }
  if (
    options.maxTokenAgeS !== undefined &&
    !(
      Number.isInteger(options.maxTokenAgeS) &&
      options.maxTokenAgeS >= 1 &&
      options.maxTokenAgeS <= 31_536_000
    )
  ) {
    fail('maxTokenAgeS', 'must be a whole number of seconds, 1 to 31536000 (a year)');
  }
  return {
    ...options,
    algorithms,
    rolesClaim: options.rolesClaim ?? 'roles',
    scopeClaim: options.scopeClaim ?? 'scope',
    nodesClaim: options.nodesClaim ?? 'openclaw_nodes',
    actionsClaim: options.actionsClaim ?? 'openclaw_actions',
    nameClaim: options.nameClaim ?? 'sub',
    scopeMap: options.scopeMap ?? { ...DEFAULT_SCOPE_MAP },
    clockToleranceSec: tolerance,
  };
}

/**
 * JWT options from OPENCLAW_JWT_* variables, or undefined when OPENCLAW_JWT_ISSUER is not set.
 * Lists (audience, algorithms) are comma-separated.
 */
export function jwtOptionsFromEnv(env: NodeJS.ProcessEnv): JwtAuthOptions | undefined {
  const get = (name: string): string | undefined => {
    const value = env[`OPENCLAW_JWT_${name}`]?.trim();
    return value ? value : undefined;
  };
  const issuer = get('ISSUER');
  if (!issuer) {
    const stray = Object.keys(env).find((k) => k.startsWith('OPENCLAW_JWT_') && env[k]);
    if (stray) fail('issuer', `is required when ${stray} is set: set OPENCLAW_JWT_ISSUER`);
    return undefined;
  }
  const list = (value: string | undefined): string[] | undefined =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const options: JwtAuthOptions = { issuer, audience: list(get('AUDIENCE')) ?? [] };
  const set = <K extends keyof JwtAuthOptions>(key: K, value: JwtAuthOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('jwksUrl', get('JWKS_URL'));
  const keyFile = get('PUBLIC_KEY_FILE');
  if (keyFile) set('publicKey', readPem(keyFile, 'publicKey'));
  const secretFile = get('SECRET_FILE');
  if (secretFile) set('secret', readPem(secretFile, 'secret').trim());
  set('algorithms', list(get('ALGORITHMS')));
  set('rolesClaim', get('ROLES_CLAIM'));
  set('scopeClaim', get('SCOPE_CLAIM'));
  set('nodesClaim', get('NODES_CLAIM'));
  set('actionsClaim', get('ACTIONS_CLAIM'));
  set('nameClaim', get('NAME_CLAIM'));
  const tolerance = get('CLOCK_TOLERANCE');
  if (tolerance !== undefined) options.clockToleranceSec = Number(tolerance);
  const maxAge = get('MAX_TOKEN_AGE');
  if (maxAge !== undefined) options.maxTokenAgeS = Number(maxAge);
  return options;
}
