import { OpenClawError } from '@openclaw-node/core';

/** A checked Redis address: connection settings and a form safe to print. */
export interface RedisAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** `rediss://`: TLS, checking the server's certificate against the host name. */
  tls: boolean;
  /** `redis://host:port[/db]`: never the user name or password. */
  display: string;
}

const USAGE = 'redis://[[user]:password@]host[:port][/db] or rediss://… for TLS';

function invalid(field: string, why: string): OpenClawError {
  // The given value is never echoed: it may hold a password.
  return new OpenClawError('CONFIG_INVALID', `${field} must be a Redis URL (${USAGE}): ${why}`, {
    details: { field },
  });
}

/**
 * Check a Redis URL (CONFIG_INVALID naming `field`, without repeating the URL, for a bad one) and
 * split it into connection settings.
 * @example parseRedisUrl('redis://:secret@10.0.0.5:6379/2').display === 'redis://10.0.0.5:6379/2'
 */
export function parseRedisUrl(url: unknown, field = 'redis'): RedisAddress {
  if (typeof url !== 'string' || url.trim() === '') throw invalid(field, 'none was given');
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalid(field, 'it does not parse as a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw invalid(field, `the scheme is ${JSON.stringify(parsed.protocol.slice(0, 20))}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalid(field, 'it has no host');
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const path = parsed.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d{1,5}$/.test(path)) throw invalid(field, 'the path must be a database number');
  const db = path === '' ? 0 : Number(path);
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalid(field, 'query parameters and fragments are not supported');
  }
  const decode = (text: string, part: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalid(field, `the ${part} is not valid percent-encoding`);
    }
  };
  const address: RedisAddress = {
    host,
    port,
    db,
    tls: parsed.protocol === 'rediss:',
    display: `${parsed.protocol}//${parsed.host}${db === 0 ? '' : `/${db}`}`,
  };
  if (parsed.username !== '') address.username = decode(parsed.username, 'user name');
  if (parsed.password !== '') address.password = decode(parsed.password, 'password');
  return address;
}

/** `text` with every occurrence of the password (as given and as URL-encoded) replaced by `***`. */
export function withoutPassword(text: string, password: string | undefined): string {
  if (password === undefined || password === '') return text;
  let out = text;
  for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  return out;
}
