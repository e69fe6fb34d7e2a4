import { OpenClawError, backoffDelay, isOpenClawError } from '@openclaw-node/plugin-sdk';

/** Statuses worth retrying: rate limiting and server-side trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Statuses that mean the server did not act on the request, so even a create may be resent without
 * risking a duplicate Version: 429 (rate limited) and 503 (not serving).
 */
export function isUnprocessedStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: attempt 0 waits up to base, attempt 1 up to 2×base, … */
export function retryDelay(attempt: number, baseMs: number): number {
  return backoffDelay(attempt, { initialMs: baseMs / 2, jitter: 1, maxMs: Number.POSITIVE_INFINITY });
}

/** Wait, or reject with the abort reason as soon as the job is cancelled or times out. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error a cancelled or timed-out job ends with: the harness/agent's own reason when it is ours. */
export function abortReason(signal: AbortSignal): OpenClawError {
  const reason: unknown = signal.reason;
  return isOpenClawError(reason) ? reason : new OpenClawError('CANCELLED', 'The action was cancelled');
}
