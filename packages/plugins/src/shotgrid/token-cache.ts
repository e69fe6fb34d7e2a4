import { createHash } from 'node:crypto';
import { OpenClawError } from '@openclaw-node/plugin-sdk';
import type { ShotgridConfig, ShotgridContext } from './config.js';
import { sgError } from './sg-errors.js';
import { send } from './transport.js';

interface Token {
  /** The Authorization header value: `Bearer <access_token>`. */
  header: string;
  /** When to stop using it: shortly before the server's expiry. */
  renewAt: number;
}

const MAX_SITES = 32;
// Shared by every job of this agent, so consecutive actions reuse one token until it nears expiry.
const tokens = new Map<string, Promise<Token>>();

function cacheKey(config: ShotgridConfig): string {
  const key = createHash('sha256').update(config.scriptKey.reveal()).digest('hex');
  return [config.site, config.scriptName, config.sudoAsLogin ?? '', key].join('\n');
}

/** A valid `Authorization` header for this site and script, fetched with client_credentials when needed. */
export async function authorizationHeader(ctx: ShotgridContext, config: ShotgridConfig): Promise<string> {
  const key = cacheKey(config);
  const cached = tokens.get(key);
  if (cached) {
    const token = await cached.catch(() => null);
    if (token && token.renewAt > Date.now()) return token.header;
    if (tokens.get(key) === cached) tokens.delete(key);
  }
  const pending = requestToken(ctx, config);
  tokens.set(key, pending);
  if (tokens.size > MAX_SITES) tokens.delete(tokens.keys().next().value as string);
  pending.catch(() => {
    if (tokens.get(key) === pending) tokens.delete(key);
  });
  return (await pending).header;
}

/** Drop a token the server refused (401), unless a newer one already replaced it. */
export async function forgetToken(config: ShotgridConfig, header: string): Promise<void> {
  const key = cacheKey(config);
  const cached = tokens.get(key);
  const token = cached ? await cached.catch(() => null) : null;
  if (tokens.get(key) === cached && (!token || token.header === header)) tokens.delete(key);
}

/** Forget every cached token (tests, or after a credentials change). */
export function clearTokenCache(): void {
  tokens.clear();
}

async function requestToken(ctx: ShotgridContext, config: ShotgridConfig): Promise<Token> {
  const url = new URL(`${config.site}/api/v1/auth/access_token`);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.scriptName,
    client_secret: config.scriptKey.reveal(),
  });
  if (config.sudoAsLogin) form.set('scope', `sudo_as_login:${config.sudoAsLogin}`);
  const started = Date.now();
  const response = await send(ctx, config, {
    method: 'POST',
    url,
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: () => form.toString(),
    timeoutMs: config.requestTimeoutMs,
    idempotent: true,
  });
  const context = { method: 'POST', path: url.pathname, secret: config.scriptKey };
  if (response.status < 200 || response.status >= 300) {
    const error = sgError(response.status, response.body, context);
    if (error.code === 'SG_UNAVAILABLE') throw error;
    throw new OpenClawError(
      'SG_AUTH',
      `ShotGrid refused the script credentials of ${config.scriptName}: ${error.message}`,
      {
        details: { ...error.details, script_name: config.scriptName },
      },
    );
  }
  const body = (response.body ?? {}) as {
    token_type?: unknown;
    access_token?: unknown;
    expires_in?: unknown;
  };
  if (typeof body.access_token !== 'string' || !body.access_token) {
    throw new OpenClawError('SG_AUTH', 'ShotGrid answered the token request without an access_token', {
      details: { status: response.status, path: url.pathname },
    });
  }
  const lifetimeMs =
    (typeof body.expires_in === 'number' && body.expires_in >= 0 ? body.expires_in : 300) * 1000;
  const type = typeof body.token_type === 'string' && body.token_type ? body.token_type : 'Bearer';
  ctx.log.debug('ShotGrid token obtained', {
    site: config.site,
    script_name: config.scriptName,
    expires_in_s: lifetimeMs / 1000,
  });
  return {
    header: `${type} ${body.access_token}`,
    renewAt: started + lifetimeMs - Math.min(60_000, lifetimeMs / 2),
  };
}
