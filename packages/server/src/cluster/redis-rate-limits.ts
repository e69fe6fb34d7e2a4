import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuthFailureWatch } from './auth-failure-watch.js';
import {
  createMemoryFailureCounter,
  createMemoryRateLimiter,
  type FailureCounter,
  type RateDecision,
  type RateLimiter,
} from '../security/rate-limit.js';

// A token bucket per key on Redis's clock: at most ARGV[2] units, refilled at ARGV[1] units per ms.
// With ARGV[3], that many units are charged without a decision (the bucket may go below zero).
const TAKE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local perMs = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'units', 'at')
local units = burst
if b[1] then units = math.min(burst, tonumber(b[1]) + (now - tonumber(b[2])) * perMs) end
local limited = 0
local retry = 0
if ARGV[3] then units = units - tonumber(ARGV[3])
elseif units >= 1 then units = units - 1 else
  limited = 1
  retry = math.max(1, math.ceil((1 - units) / perMs / 1000))
end
redis.call('HSET', KEYS[1], 'units', tostring(units), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - math.min(units, 0)) / perMs) + 1000)
return {limited, retry}`;

// Failures of a key in a sliding window of ARGV[1] ms: records one, keeps the newest ARGV[2]. With
// ARGV[3..5] (the recent-failures set, the channel, the address), also notes the address there and
// publishes it, for every process's AuthFailureWatch.
const RECORD_FAILURE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
if ARGV[5] then
  redis.call('ZADD', ARGV[3], now, ARGV[5])
  redis.call('ZREMRANGEBYSCORE', ARGV[3], '-inf', now - window)
  redis.call('PEXPIRE', ARGV[3], window)
  redis.call('PUBLISH', ARGV[4], ARGV[5])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, now .. ':' .. redis.call('INCR', KEYS[1] .. ':seq'))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
redis.call('PEXPIRE', KEYS[1], window)
redis.call('PEXPIRE', KEYS[1] .. ':seq', window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then return {0, 0} end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {1, math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))}`;

// The same decision without recording, and without writing. Checked on every request: an address the
// AuthFailureWatch knows clean needs no command; else the usual answer (fewer failures than the
// limit, counting even those past the window) is a plain ZCARD sent first; this script runs only past it.
const CHECK_FAILURES = `
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local window = tonumber(ARGV[1])
local since = '(' .. (now - window)
if redis.call('ZCOUNT', KEYS[1], since, '+inf') < limit then return {0, 0} end
local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
return {1, math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))}`;

/** The scripts as commands of the limits client: EVALSHA, the body is sent only when Redis lacks it. */
type LimitScript = (key: string, ...args: (string | number)[]) => Promise<unknown>;
const SCRIPTS = { ocRateTake: TAKE, ocAuthRecord: RECORD_FAILURE, ocAuthCheck: CHECK_FAILURES } as const;

function defineLimitScripts(redis: Redis): Record<keyof typeof SCRIPTS, LimitScript> {
  const out = {} as Record<keyof typeof SCRIPTS, LimitScript>;
  for (const [name, lua] of Object.entries(SCRIPTS) as [keyof typeof SCRIPTS, string][]) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    out[name] = (redis as unknown as Record<string, LimitScript>)[name]!.bind(redis);
  }
  return out;
}

const decision = (reply: unknown): RateDecision => {
  const [limited, retry] = reply as [number, number];
  return { limited: limited === 1, retryAfterS: Number(retry) };
};

/** Limits shared by every process of a cluster; when Redis fails, each process falls back to its own. */
export interface SharedLimits {
  failures: FailureCounter;
  execLimiter: RateLimiter;
}

/** Where failed logins are announced (AuthFailureWatch); `prefix` as createSharedLimits takes it. */
export function authFailureKeys(prefix: string): { recent: string; channel: string } {
  return { recent: `${prefix}rate:auth-recent`, channel: `${prefix}rate:auth-failed` };
}

/** The window of the failed-login limit. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/**
 * The REST and handshake rate limits in Redis, so N server processes do not give a token N times its
 * exec rate, nor an address N times its failed logins. Keys expire on their own. With `watch`, an
 * address it knows clean passes the failed-login check without a command.
 */
export function createSharedLimits(
  redis: Redis,
  prefix: string,
  limits: { execRatePerMinute: number; execBurst: number; authFailuresPerMinute: number },
  logger: Logger,
  watch?: AuthFailureWatch,
): SharedLimits {
  const localExec = createMemoryRateLimiter({ perMinute: limits.execRatePerMinute, burst: limits.execBurst });
  const localFailures = createMemoryFailureCounter({
    limit: limits.authFailuresPerMinute,
    windowMs: AUTH_FAILURE_WINDOW_MS,
  });
  let warned = false;
  const fallback = <T>(error: unknown, local: () => T): T => {
    if (!warned) {
      warned = true;
      logger.warn(
        { err: error },
        'shared rate limits unavailable (Redis); this process counts alone meanwhile',
      );
    }
    return local();
  };
  const recovered = <T>(value: T): T => {
    warned = false;
    return value;
  };
  const perMs = limits.execRatePerMinute / 60_000;
  const burst = Math.max(1, limits.execBurst);
  const scripts = defineLimitScripts(redis);
  const announce = authFailureKeys(prefix);
  const failuresAt = async (address: string, record: boolean): Promise<RateDecision> => {
    const key = `${prefix}rate:auth:${address}`;
    if (!record && watch?.clean(address)) return { limited: false, retryAfterS: 0 };
    // Fewer failures than the limit, even counting those past the window: not limited, in one command.
    if (!record && (await redis.zcard(key)) < limits.authFailuresPerMinute) {
      return recovered({ limited: false, retryAfterS: 0 });
    }
    if (record) watch?.note(address);
    const window = [AUTH_FAILURE_WINDOW_MS, limits.authFailuresPerMinute] as const;
    const reply = record
      ? await scripts.ocAuthRecord(key, ...window, announce.recent, announce.channel, address)
      : await scripts.ocAuthCheck(key, ...window);
    return recovered(decision(reply));
  };
  return {
    execLimiter: {
      async take(key) {
        if (limits.execRatePerMinute <= 0) return { limited: false, retryAfterS: 0 };
        return scripts
          .ocRateTake(`${prefix}rate:exec:${key}`, perMs, burst)
          .then((reply) => recovered(decision(reply)))
          .catch((error: unknown) => fallback(error, () => localExec.take(key)));
      },
      async charge(key, units) {
        if (limits.execRatePerMinute <= 0 || !(units > 0)) return;
        await scripts
          .ocRateTake(`${prefix}rate:exec:${key}`, perMs, burst, units)
          .then(() => undefined)
          .catch((error: unknown) => fallback(error, () => localExec.charge(key, units)));
      },
    },
    failures: {
      check: (address) =>
        failuresAt(address, false).catch((error: unknown) =>
          fallback(error, () => localFailures.check(address)),
        ),
      record: (address) =>
        failuresAt(address, true).catch((error: unknown) =>
          fallback(error, () => localFailures.record(address)),
        ),
    },
  };
}
