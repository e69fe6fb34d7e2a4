/**
 * The real-Redis test harness for the repo-level tests (test/): a `redis-server` on 127.0.0.1 with
 * AOF in a temp directory. The implementation lives with the server's tests.
 * @example const redis = await startRedis({ password: 'secret' }); … await redis.stop();
 */
export {
  REDIS_INSTALL_HINT,
  skipWithoutRedis,
  startRedis,
  type RedisServer,
  type StartRedisOptions,
} from '../../packages/server/test/helpers/redis-server.js';
