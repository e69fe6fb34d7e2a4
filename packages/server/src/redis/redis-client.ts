import { Redis, type RedisOptions } from 'ioredis';
import type { RedisAddress } from './redis-url.js';

/** What a caller chooses for its own client: its name in CLIENT LIST and how it waits through an outage. */
export type RedisClientOptions = Pick<
  RedisOptions,
  'connectionName' | 'maxRetriesPerRequest' | 'retryStrategy' | 'enableOfflineQueue' | 'commandTimeout'
>;

/**
 * Every Redis client of the server is made here (the job store's and the cluster's): the address from
 * one parser (parseRedisUrl), TLS checking the host name for `rediss://`, and no connection before the
 * caller's connect() (lazyConnect), so a caller decides how long it waits for Redis.
 * @example createRedisClient(parseRedisUrl('redis://10.0.0.5:6379'), { connectionName: 'openclaw-jobs' })
 */
export function createRedisClient(address: RedisAddress, options: RedisClientOptions): Redis {
  return new Redis({
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username === undefined ? {} : { username: address.username }),
    ...(address.password === undefined ? {} : { password: address.password }),
    ...(address.tls ? { tls: { servername: address.host } } : {}),
    lazyConnect: true,
    ...options,
  });
}
