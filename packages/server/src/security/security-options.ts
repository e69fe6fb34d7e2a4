import { OpenClawError } from '@openclaw-node/core';
import type { FileWatchOptions } from './auth/file-watch.js';
import { isValidGlob } from './auth/globs.js';
import { parseTokenEntry, type FieldFailure } from './auth/token-entry.js';
import { TOKEN_HELP } from './auth/tokens.js';
import type { JwtAuthOptions } from './auth/jwt-options.js';
import type { TlsOptions } from '../http/tls/tls-options.js';
import type { TrustProxy } from './client-address.js';

/** Abuse limits; every one has a default. */
export interface SecurityLimits {
  /** Failed authentications per client address per minute before 429 (REST and agent handshakes). Default 20. */
  authFailuresPerMinute: number;
  /** Execs per token (principal) per minute; 0 turns the limit off. Default 600. */
  execRatePerMinute: number;
  /** Execs a token may send at once before the per-minute rate applies. Default 100. */
  execBurst: number;
  /** `job:progress` events per job per second kept; the rest are dropped and counted. Default 50. */
  progressEventsPerSecond: number;
  /** Progress events a job may send at once. Default 200. */
  progressBurst: number;
  /** Events of any kind per agent connection per second. Default 500. */
  agentEventsPerSecond: number;
  /** Events an agent may send at once. Default 2000. */
  agentEventBurst: number;
  /** Dropped agent events per minute after which the agent is disconnected as flooding. Default 5000. */
  agentFloodDisconnect: number;
  /** Largest Socket.IO message (hello, exec ack). Default 1 MiB. */
  maxSocketMessageBytes: number;
  /** Deepest nesting of exec params. Default 32. */
  maxParamsDepth: number;
  /** Jobs one request may queue for nodes that are not connected (`"queue": true`). Default 100. */
  maxQueuedJobsPerRequest: number;
  /** Jobs a token may have waiting in the offline queue at once. Default 1000. */
  maxQueuedJobsPerToken: number;
  /** Params bytes one request may store: the params' JSON size times the jobs it makes. Default 16 MiB. */
  maxStoredParamsBytesPerRequest: number;
  /** Params bytes of a token's jobs waiting in the offline queue at once. Default 64 MiB. */
  maxQueuedParamsBytesPerToken: number;
  /** Job event streams (`GET /api/jobs/:id/events`) open at once per token. Default 32. */
  eventStreamsPerToken: number;
  /** Job event streams open at once per client address. Default 64. */
  eventStreamsPerAddress: number;
  /** An event stream that sent no job event for this long is closed (EventSource reconnects). Default 10 min. */
  eventStreamIdleMs: number;
  /** Bytes of job views in one `GET /api/jobs` page; a page stops early there (`next_cursor` goes on). Default 4 MiB. */
  maxJobPageBytes: number;
  /** Bytes of progress messages and output one job may store; the rest is dropped. Default 1 MiB. */
  maxProgressBytesPerJob: number;
  /** A request body must arrive within this many ms once its headers did. Default 30 s. */
  bodyReadTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<SecurityLimits> = {
  authFailuresPerMinute: 20,
  execRatePerMinute: 600,
  execBurst: 100,
  progressEventsPerSecond: 50,
  progressBurst: 200,
  agentEventsPerSecond: 500,
  agentEventBurst: 2000,
  agentFloodDisconnect: 5000,
  maxSocketMessageBytes: 1024 * 1024,
  maxParamsDepth: 32,
  maxQueuedJobsPerRequest: 100,
  maxQueuedJobsPerToken: 1000,
  maxStoredParamsBytesPerRequest: 16 * 1024 * 1024,
  maxQueuedParamsBytesPerToken: 64 * 1024 * 1024,
  eventStreamsPerToken: 32,
  eventStreamsPerAddress: 64,
  eventStreamIdleMs: 10 * 60_000,
  maxJobPageBytes: 4 * 1024 * 1024,
  maxProgressBytesPerJob: 1024 * 1024,
  bodyReadTimeoutMs: 30_000,
};

/** The security part of ServerOptions. */
export interface SecurityOptions {
  /** A tokens file (scoped entries), reloaded when it changes; see docs/security.md. */
  tokensFile?: string;
  /** How the tokens file is watched (tests shorten the poll). */
  tokensFileWatch?: FileWatchOptions;
  /** JWT bearer auth through the studio's identity provider. */
  jwt?: JwtAuthOptions;
  /** Serve HTTPS and WSS with this certificate. */
  tls?: TlsOptions;
  /** Append-only JSON-lines audit log file. */
  auditLog?: string;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed. Default false. */
  trustProxy?: TrustProxy;
  limits?: Partial<SecurityLimits>;
  /**
   * Node-id globs a job may be queued for (`"queue": true`) although no agent with that id has
   * connected since the server started; see docs/security.md. Default none.
   */
  knownNodes?: string[];
}

/** Fill the limit defaults and check each; throws CONFIG_INVALID naming `limits.<name>`. */
export function resolveLimits(limits: Partial<SecurityLimits> = {}): SecurityLimits {
  const resolved = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `limits.${key} is not a known limit (${Object.keys(DEFAULT_LIMITS).join(', ')})`,
        {
          details: { field: `limits.${key}` },
        },
      );
    }
    if (value === undefined) continue;
    const zeroOk = key === 'execRatePerMinute';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `limits.${key} must be a positive number, got ${JSON.stringify(value)}`,
        {
          details: { field: `limits.${key}` },
        },
      );
    }
    resolved[key as keyof SecurityLimits] = value;
  }
  return resolved;
}

/** Check knownNodes: a list of node-id globs; throws CONFIG_INVALID naming the entry. */
export function resolveKnownNodes(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new OpenClawError('CONFIG_INVALID', 'knownNodes must be a list of node-id globs, e.g. ["ws-*"]', {
      details: { field: 'knownNodes' },
    });
  }
  return value.map((glob: unknown, i) => {
    if (isValidGlob(glob)) return glob;
    throw new OpenClawError(
      'CONFIG_INVALID',
      `knownNodes[${i}] must be a node-id glob: letters, digits, ".", "_", "-", "*" and "?"`,
      { details: { field: `knownNodes[${i}]` } },
    );
  });
}

/** Check trustProxy: a boolean or a whole number of proxies (0-10). */
export function resolveTrustProxy(value: unknown): TrustProxy {
  if (value === undefined) return false;
  if (
    typeof value === 'boolean' ||
    (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10)
  ) {
    return value as TrustProxy;
  }
  throw new OpenClawError(
    'CONFIG_INVALID',
    `trustProxy must be true, false or the number of proxies (0-10), got ${JSON.stringify(value)}`,
    {
      details: { field: 'trustProxy' },
    },
  );
}

/** The security options of a ServerOptions object, without the rest. */
export function pickSecurityOptions(options: SecurityOptions): SecurityOptions {
  const picked: SecurityOptions = {};
  for (const key of [
    'tokensFile',
    'tokensFileWatch',
    'jwt',
    'tls',
    'auditLog',
    'trustProxy',
    'limits',
    'knownNodes',
  ] as const) {
    if (options[key] !== undefined) Object.assign(picked, { [key]: options[key] });
  }
  return picked;
}

/**
 * Check that some source of principals is configured (tokens, a tokens file, JWT or a custom provider)
 * and that every given token entry is well-formed; throws CONFIG_INVALID naming the field.
 */
export function checkTokenSources(options: SecurityOptions & { tokens?: unknown; auth?: unknown }): void {
  const tokens = options.tokens;
  if (tokens !== undefined && !Array.isArray(tokens)) {
    throw new OpenClawError('CONFIG_INVALID', 'tokens must be a list of token entries', {
      details: { field: 'tokens' },
    });
  }
  const none = (tokens ?? []).length === 0 && !options.tokensFile && !options.jwt && !options.auth;
  if (none) {
    throw new OpenClawError('CONFIG_INVALID', `No API tokens are configured. ${TOKEN_HELP}`, {
      details: { field: 'tokens' },
    });
  }
  const fail: FieldFailure = (field, message) => {
    throw new OpenClawError('CONFIG_INVALID', `${field} ${message}`, { details: { field } });
  };
  (tokens ?? []).forEach((entry: unknown, i: number) => {
    const named =
      typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string';
    parseTokenEntry(
      entry,
      `tokens[${i}]`,
      named ? (entry as { name: string }).name : `tokens-${i + 1}`,
      fail,
      1,
    );
  });
}
