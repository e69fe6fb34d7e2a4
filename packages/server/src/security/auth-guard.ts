import { OpenClawError, toErrorPayload } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import type { FailureCounter, RateDecision } from './rate-limit.js';
import { isThenable } from './thenable.js';

/** Where an authentication was attempted, for the audit log. */
export interface AuthAttempt {
  address: string;
  channel: 'rest' | 'agent';
  method?: string;
  path?: string;
  node_id?: string;
}

/** Failed-authentication limiting per client address, with audit and log lines. */
export interface AuthGuard {
  /**
   * Throws RATE_LIMITED (429, details.retry_after_s) while the address is over its failure budget:
   * synchronously when the counter answers at once (in process), else through the returned promise.
   */
  assertNotLimited(attempt: AuthAttempt): void | Promise<void>;
  /** Count and audit a failed authentication (AUTH_REQUIRED, AUTH_INVALID). */
  recordFailure(attempt: AuthAttempt, error: unknown): Promise<void>;
}

/** Codes that count as a failed authentication (a missing or wrong credential). */
export const AUTH_FAILURE_CODES: ReadonlySet<string> = new Set(['AUTH_REQUIRED', 'AUTH_INVALID']);

/** The RATE_LIMITED error of a blocked address. */
export function rateLimited(
  message: string,
  retryAfterS: number,
  details: Record<string, unknown> = {},
): OpenClawError {
  return new OpenClawError('RATE_LIMITED', message, { details: { ...details, retry_after_s: retryAfterS } });
}

function assertUnderBudget(decision: RateDecision): void {
  if (decision.limited) {
    throw rateLimited(
      `Too many failed authentications from this address; try again in ${decision.retryAfterS} s`,
      decision.retryAfterS,
    );
  }
}

/** Build the guard over a failure counter (per address), the audit log and the logger. */
export function createAuthGuard(options: {
  failures: FailureCounter;
  audit: AuditLog;
  logger: Logger;
}): AuthGuard {
  const { failures, audit, logger } = options;
  return {
    assertNotLimited(attempt) {
      const decision = failures.check(attempt.address);
      return isThenable(decision)
        ? Promise.resolve(decision).then(assertUnderBudget)
        : assertUnderBudget(decision);
    },
    async recordFailure(attempt, error) {
      const { code, message, details } = toErrorPayload(error);
      const decision = await failures.record(attempt.address);
      const reason = typeof details?.reason === 'string' ? details.reason : message;
      audit.record({ event: 'auth.failure', ...attempt, outcome: code, status: 401, reason });
      logger.warn({ ...attempt, code, reason }, 'authentication failed');
      if (decision.limited) {
        logger.warn(
          { address: attempt.address, channel: attempt.channel, retry_after_s: decision.retryAfterS },
          'too many failed authentications from one address: refusing it for a while',
        );
      }
    },
  };
}
