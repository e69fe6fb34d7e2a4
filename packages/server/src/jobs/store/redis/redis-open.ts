import { OpenClawError } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../../redis/redis-client.js';
import type { Logger } from 'pino';
import { JobEventHub } from '../job-event-hub.js';
import { resolveStoreOptions, type ResolvedStoreOptions } from '../job-row.js';
import type { JobStoreOptions } from '../job-store.js';
import { RedisConnection, shutdownClient } from '../../../redis/redis-connection.js';
import { RedisEventFeed } from './redis-event-feed.js';
import { eventChannel, eventStream } from './redis-keys.js';
import { defineJobScripts, type JobScript, type JobScriptName } from './redis-scripts.js';
import { parseRedisUrl, type RedisAddress } from '../../../redis/redis-url.js';

export const DEFAULT_REDIS_KEY_PREFIX = 'openclaw:';
export const DEFAULT_REDIS_OFFLINE_TIMEOUT_MS = 10_000;
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REDIS_EVENT_BACKLOG = 10_000;

/** Options of the Redis store: `url`, or an ioredis `client` to share. */
export interface RedisJobStoreOptions extends JobStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url?: string;
  /** An ioredis client to use instead of `url`; close() leaves it open. Its duplicate() carries the events. */
  client?: Redis;
  /** Prefix of every key and of the channel, default `openclaw:`; stores sharing it share the jobs. */
  keyPrefix?: string;
  /** How long a call waits for a lost connection before JOB_STORE_FAILED, default 10000 ms. */
  offlineTimeoutMs?: number;
  /** How long open() waits for Redis, default 10000 ms. */
  connectTimeoutMs?: number;
  /** Events kept for subscribers catching up after a reconnect, default 10000. */
  eventBacklog?: number;
  /** Told when a connection is lost and back (never with the password). */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** What a RedisJobStore is built from. */
export interface RedisJobStoreParts {
  options: ResolvedStoreOptions;
  display: string;
  prefix: string;
  eventBacklog: number;
  offlineTimeoutMs: number;
  commands: RedisConnection;
  events: RedisConnection;
  /** True when the store made the command client (and so quits it). */
  owned: boolean;
  scripts: Record<JobScriptName, JobScript>;
  hub: JobEventHub;
  feed: RedisEventFeed;
}

/** ZRANGE … BYLEX REV and exclusive XRANGE bounds. */
const MIN_REDIS_VERSION = [6, 2] as const;

function configError(field: string, message: string): OpenClawError {
  return new OpenClawError('CONFIG_INVALID', message, { details: { field } });
}

function positiveInt(field: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 1 || resolved > 2 ** 31 - 1) {
    throw configError(field, `${field} must be a positive integer, got ${String(resolved)}`);
  }
  return resolved;
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || !/^[\w.:{}-]{0,64}$/.test(prefix)) {
    throw configError(
      'keyPrefix',
      'keyPrefix must be at most 64 characters among letters, digits and _ . : { } -, e.g. "openclaw:"',
    );
  }
  return prefix;
}

function newClient(address: RedisAddress): Redis {
  return createRedisClient(address, {
    connectionName: 'openclaw-jobs',
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    // Calls are bounded in time instead (offlineTimeoutMs, see RedisConnection).
    maxRetriesPerRequest: null,
  });
}

async function checkVersion(connection: RedisConnection, display: string): Promise<void> {
  const info = await connection.client.info('server');
  const version = /redis_version:(\d+)\.(\d+)/.exec(info);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  if (major < MIN_REDIS_VERSION[0] || (major === MIN_REDIS_VERSION[0] && minor < MIN_REDIS_VERSION[1])) {
    throw new OpenClawError(
      'JOB_STORE_FAILED',
      `The Redis job store needs Redis ${MIN_REDIS_VERSION.join('.')} or later; ${display} runs ${version ? `${major}.${minor}` : 'an unknown version'}`,
      { details: { store: 'redis', redis: display } },
    );
  }
}

/** Check the options, connect both connections, define the scripts and start the event feed. */
export async function openRedisLinks(options: RedisJobStoreOptions): Promise<RedisJobStoreParts> {
  const base = resolveStoreOptions(options);
  // Whole milliseconds: the index set orders times by their digits (redis-keys.ts).
  const resolved: ResolvedStoreOptions = { ...base, now: () => Math.floor(base.now()) };
  const prefix = checkPrefix(options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX);
  const offlineTimeoutMs = positiveInt(
    'offlineTimeoutMs',
    options.offlineTimeoutMs,
    DEFAULT_REDIS_OFFLINE_TIMEOUT_MS,
  );
  const connectTimeoutMs = positiveInt(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
  );
  const eventBacklog = positiveInt('eventBacklog', options.eventBacklog, DEFAULT_REDIS_EVENT_BACKLOG);
  if ((options.url === undefined) === (options.client === undefined)) {
    throw configError(
      'redis',
      'The Redis job store needs either url (redis://host:6379) or client, not both',
    );
  }
  let client: Redis;
  let display: string;
  let password: string | undefined;
  if (options.client !== undefined) {
    client = options.client;
    if (typeof client.duplicate !== 'function')
      throw configError('redis', 'client must be an ioredis client');
    if (client.options.keyPrefix) {
      throw configError(
        'redis',
        'client must not have its own keyPrefix: give keyPrefix to the store instead',
      );
    }
    display = `redis://${client.options.host ?? 'localhost'}:${client.options.port ?? 6379}`;
    password = client.options.password;
  } else {
    const address = parseRedisUrl(options.url);
    client = newClient(address);
    display = address.display;
    password = address.password;
  }
  const owned = options.client === undefined;
  const logger = options.logger;
  const commands = new RedisConnection(client, {
    display,
    password,
    offlineTimeoutMs,
    role: 'commands',
    logger,
  });
  const subscriber = client.duplicate({
    lazyConnect: true,
    connectionName: 'openclaw-jobs-events',
    autoResubscribe: false,
  });
  const events = new RedisConnection(subscriber, {
    display,
    password,
    offlineTimeoutMs,
    role: 'events',
    logger,
  });
  try {
    await Promise.all([commands.connect(connectTimeoutMs), events.connect(connectTimeoutMs)]);
    await checkVersion(commands, display).catch((error: unknown) => {
      throw commands.failure(error);
    });
    const scripts = defineJobScripts(client);
    const hub = new JobEventHub();
    const feed = new RedisEventFeed({
      client,
      subscriber,
      channel: eventChannel(prefix),
      stream: eventStream(prefix),
      hub,
      display,
      logger,
    });
    await feed.start().catch((error: unknown) => {
      throw commands.failure(error);
    });
    return {
      options: resolved,
      display,
      prefix,
      eventBacklog,
      offlineTimeoutMs,
      commands,
      events,
      owned,
      scripts,
      hub,
      feed,
    };
  } catch (error) {
    commands.close();
    events.close();
    await Promise.all([shutdownClient(subscriber), owned ? shutdownClient(client) : undefined]);
    throw error;
  }
}
