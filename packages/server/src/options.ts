import { DEFAULT_SOCKET_PATH, OpenClawError } from '@openclaw-node/core';
import pino, { type Logger } from 'pino';
import type { AuthProvider } from './auth/auth-provider.js';
import type { TokenEntry } from './auth/token-auth-provider.js';
import { TOKEN_HELP } from './tokens.js';

/** Options of createServer. */
export interface ServerOptions {
  /** Default '0.0.0.0'. */
  host?: string;
  /** Default 8765; 0 picks a free port. */
  port?: number;
  /** Accepted tokens; must not be empty. */
  tokens: TokenEntry[];
  /** Default: a pino logger at info to stderr. */
  logger?: Logger;
  /** Socket.IO path, default '/ws'. */
  socketPath?: string;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Exec timeout when neither request nor manifest gives one, default 30 s. */
  defaultTimeoutS?: number;
  /** Cap for a requested timeout, default 3600 s. */
  maxTimeoutS?: number;
  /** Socket.IO heartbeat, default 5000 ms. */
  pingIntervalMs?: number;
  /** Default 5000 ms. */
  pingTimeoutMs?: number;
  /** Extra wait for an exec ack beyond the action's timeout, default 3000 ms. */
  ackGraceMs?: number;
  /** Replaces the token list as the source of principals (scoped tokens, JWT). */
  auth?: AuthProvider;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, 'auth'>> & { auth?: AuthProvider };

/** Fill defaults and check every option; throws CONFIG_INVALID naming the option. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  if (!options.auth && (!Array.isArray(options.tokens) || options.tokens.length === 0)) {
    throw new OpenClawError('CONFIG_INVALID', `No API tokens are configured. ${TOKEN_HELP}`, {
      details: { field: 'tokens' },
    });
  }
  (options.tokens ?? []).forEach((entry, i) => {
    if (typeof entry?.token !== 'string' || entry.token.trim() === '') {
      throw new OpenClawError('CONFIG_INVALID', `tokens[${i}].token must be a non-empty string`, {
        details: { field: `tokens[${i}].token` },
      });
    }
  });
  const resolved: ResolvedServerOptions = {
    host: options.host ?? '0.0.0.0',
    port: options.port ?? 8765,
    tokens: options.tokens ?? [],
    logger: options.logger ?? pino({ level: 'info', name: 'openclaw-server' }, pino.destination(2)),
    socketPath: options.socketPath ?? DEFAULT_SOCKET_PATH,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    defaultTimeoutS: options.defaultTimeoutS ?? 30,
    maxTimeoutS: options.maxTimeoutS ?? 3600,
    pingIntervalMs: options.pingIntervalMs ?? 5000,
    pingTimeoutMs: options.pingTimeoutMs ?? 5000,
    ackGraceMs: options.ackGraceMs ?? 3000,
  };
  if (options.auth) resolved.auth = options.auth;
  const check = (field: keyof ResolvedServerOptions, ok: boolean, rule: string): void => {
    if (!ok) {
      throw new OpenClawError('CONFIG_INVALID', `${field} ${rule}, got ${JSON.stringify(resolved[field])}`, {
        details: { field },
      });
    }
  };
  const positive = (v: number): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  check(
    'port',
    Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535,
    'must be an integer 0-65535',
  );
  check('host', typeof resolved.host === 'string' && resolved.host !== '', 'must be a host name or address');
  check(
    'socketPath',
    /^\/[\w./-]*$/.test(resolved.socketPath) && !resolved.socketPath.startsWith('/api'),
    'must be a path like /ws outside /api',
  );
  check('maxBodyBytes', positive(resolved.maxBodyBytes), 'must be a positive number');
  check('defaultTimeoutS', positive(resolved.defaultTimeoutS), 'must be a positive number of seconds');
  check('maxTimeoutS', positive(resolved.maxTimeoutS), 'must be a positive number of seconds');
  check('pingIntervalMs', positive(resolved.pingIntervalMs), 'must be a positive number of ms');
  check('pingTimeoutMs', positive(resolved.pingTimeoutMs), 'must be a positive number of ms');
  check(
    'ackGraceMs',
    typeof resolved.ackGraceMs === 'number' && resolved.ackGraceMs >= 0,
    'must be 0 or more ms',
  );
  return resolved;
}
