import { createHash } from 'node:crypto';
import { OpenClawError, stableStringify } from '@openclaw-node/core';
import type { JobRecord } from './index.js';

/** The request header (RFC draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer that returns the job of an earlier request with the same key. */
export const REPLAY_HEADER = 'Idempotent-Replay';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key of a request, if any; INVALID_BODY naming the header for a malformed one. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const key = header.trim();
  if (!KEY_PATTERN.test(key)) {
    throw new OpenClawError(
      'INVALID_BODY',
      'The Idempotency-Key header must be 1-255 printable ASCII characters without spaces, e.g. a UUID',
      { details: { field: 'idempotency-key', length: key.length } },
    );
  }
  return key;
}

/**
 * The key as stored: keys are per principal *identity*, so a JWT whose `sub` equals a static token's
 * name never finds that token's jobs. Token keys are stored as sent; other kinds get a prefix with a
 * space, which no key a client sends can hold.
 */
export function principalScopedKey(
  key: string | undefined,
  principal: { via?: string | undefined } | undefined,
): string | undefined {
  if (key === undefined || principal?.via === undefined || principal.via === 'token') return key;
  return `${principal.via} ${key}`;
}

/** The key as the client sent it (for job views and messages). */
export function shownIdempotencyKey(stored: string): string {
  const space = stored.indexOf(' ');
  return space < 0 ? stored : stored.slice(space + 1);
}

/**
 * A fingerprint of what a request asks for: where, which action, the params as sent, timeout and
 * queueing. `wait` is left out on purpose: asking for the same job sync or async is the same request.
 */
export function requestFingerprint(request: Record<string, unknown>): string {
  return createHash('sha256').update(stableStringify(request)).digest('base64url');
}

/**
 * IDEMPOTENCY_KEY_REUSED (409) unless `original` was created by a request with this fingerprint. The
 * answer names nothing of the original (its job, action or node): only that the key is taken.
 */
export function assertSameRequest(original: JobRecord, fingerprint: string, key: string): void {
  if (original.request_hash === fingerprint) return;
  throw keyReused(key);
}

/** IDEMPOTENCY_KEY_REUSED naming only the key the caller sent. */
export function keyReused(key: string): OpenClawError {
  return new OpenClawError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency-Key "${shownIdempotencyKey(key)}" was already used for a different request; use a new key for a new request`,
    { details: { field: 'idempotency-key' } },
  );
}
