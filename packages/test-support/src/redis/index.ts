export { startRedis, type RedisServer, type StartRedisOptions } from './redis-server.js';
export {
  REDIS_INSTALL_HINT,
  REDIS_SKIPPED_LINE,
  REQUIRE_REDIS_ENV,
  redisRequired,
  redisServerOnPath,
  skipWithoutRedis,
} from './redis-availability.js';
