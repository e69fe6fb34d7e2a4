import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Set to 1 (as .ci/run does) and a missing redis-server fails the Redis suites instead of skipping them. */
export const REQUIRE_REDIS_ENV = 'OPENCLAW_REQUIRE_REDIS';

/** What to tell a developer whose machine lacks the binary. */
export const REDIS_INSTALL_HINT = 'install redis-server (Debian: apt-get install redis-server)';

/** True when an executable `redis-server` is on PATH (what startRedis runs). */
export function redisServerOnPath(env: NodeJS.ProcessEnv = process.env): boolean {
  const names = process.platform === 'win32' ? ['redis-server.exe', 'redis-server'] : ['redis-server'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  }
  return false;
}

/** True when Redis must be there: the suites then run (and fail loudly) without redis-server. */
export function redisRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_REDIS_ENV] === '1';
}

/**
 * Whether the suites that start a real redis-server skip on this machine: only when it is not
 * installed and not required. The summary reporter prints one line saying so.
 */
export const skipWithoutRedis: boolean = !redisRequired() && !redisServerOnPath();

/** The one line the test summary prints when the Redis suites were skipped. */
export const REDIS_SKIPPED_LINE = `Redis suites SKIPPED: redis-server is not on PATH. To run them, ${REDIS_INSTALL_HINT}; set ${REQUIRE_REDIS_ENV}=1 to fail instead of skipping.`;
