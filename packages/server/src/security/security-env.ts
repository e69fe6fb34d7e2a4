import { OpenClawError } from '@openclaw-node/core';
import { jwtOptionsFromEnv } from './auth/jwt-options.js';
import type { TokenEntry } from './auth/token-entry.js';
import { loadEnvTokens } from './auth/tokens.js';
import { DEFAULT_LIMITS, type SecurityLimits, type SecurityOptions } from './security-options.js';

function number(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new OpenClawError('CONFIG_INVALID', `${name} must be a number, got ${JSON.stringify(raw)}`, {
      details: { field: name },
    });
  }
  return value;
}

/**
 * The server's security settings from the environment: OPENCLAW_NODE_TOKEN / OPENCLAW_TOKENS (full
 * access), OPENCLAW_TOKENS_FILE (scoped, reloaded on change), OPENCLAW_JWT_*, OPENCLAW_TLS_CERT /
 * OPENCLAW_TLS_KEY / OPENCLAW_TLS_CA, OPENCLAW_AUDIT_LOG, OPENCLAW_TRUST_PROXY (true or a number of
 * proxies), OPENCLAW_EXEC_RATE_PER_MINUTE, OPENCLAW_LIMIT_<NAME> for every `limits.*`
 * (OPENCLAW_LIMIT_MAX_QUEUED_JOBS_PER_TOKEN), OPENCLAW_KNOWN_NODES (comma-separated node-id globs). Throws CONFIG_INVALID naming the variable.
 * @example createServer({ port: 8765, ...securityOptionsFromEnv(process.env) })
 */
export function securityOptionsFromEnv(env: NodeJS.ProcessEnv): SecurityOptions & { tokens: TokenEntry[] } {
  const options: SecurityOptions & { tokens: TokenEntry[] } = { tokens: loadEnvTokens(env) };
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const tokensFile = get('OPENCLAW_TOKENS_FILE');
  if (tokensFile) options.tokensFile = tokensFile;
  const jwt = jwtOptionsFromEnv(env);
  if (jwt) options.jwt = jwt;
  const cert = get('OPENCLAW_TLS_CERT');
  const key = get('OPENCLAW_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? 'OPENCLAW_TLS_CERT' : 'OPENCLAW_TLS_KEY';
    throw new OpenClawError(
      'CONFIG_INVALID',
      `${missing} is required too: HTTPS needs both a certificate and its key`,
      {
        details: { field: missing },
      },
    );
  }
  if (cert && key) {
    const ca = get('OPENCLAW_TLS_CA');
    options.tls = { cert, key, ...(ca ? { ca } : {}) };
  }
  const auditLog = get('OPENCLAW_AUDIT_LOG');
  if (auditLog) options.auditLog = auditLog;
  const trust = get('OPENCLAW_TRUST_PROXY');
  if (trust !== undefined) options.trustProxy = parseTrustProxy(trust, 'OPENCLAW_TRUST_PROXY');
  const known = get('OPENCLAW_KNOWN_NODES');
  if (known)
    options.knownNodes = known
      .split(',')
      .map((glob) => glob.trim())
      .filter(Boolean);
  const limits: Partial<SecurityLimits> = {};
  // Every limit as OPENCLAW_LIMIT_<NAME>: OPENCLAW_LIMIT_MAX_QUEUED_JOBS_PER_TOKEN=5000.
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SecurityLimits)[]) {
    const value = number(env, limitVariable(key));
    if (value !== undefined) limits[key] = value;
  }
  const execRate = number(env, 'OPENCLAW_EXEC_RATE_PER_MINUTE');
  if (execRate !== undefined) limits.execRatePerMinute = execRate;
  if (Object.keys(limits).length > 0) options.limits = limits;
  return options;
}

/** The environment variable of a limit: `maxQueuedJobsPerToken` → `OPENCLAW_LIMIT_MAX_QUEUED_JOBS_PER_TOKEN`. */
export function limitVariable(key: keyof SecurityLimits): string {
  return `OPENCLAW_LIMIT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `true`/`false`/`yes`/`no`/`1`/`0` or a number of proxies, as given on a command line or in the environment. */
export function parseTrustProxy(value: string, field: string): boolean | number {
  const text = value.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(text)) return true;
  if (['false', 'no', 'off', ''].includes(text)) return false;
  if (/^\d+$/.test(text) && Number(text) <= 10) return Number(text);
  throw new OpenClawError(
    'CONFIG_INVALID',
    `${field} must be true, false or the number of proxies in front of the server (1-10)`,
    {
      details: { field },
    },
  );
}
