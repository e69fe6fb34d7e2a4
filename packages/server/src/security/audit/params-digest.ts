import { createHash } from 'node:crypto';
import { stableStringify, type JsonSchema } from '@openclaw-node/core';
import { redactParams } from '../../jobs/store/redact.js';

/** The digest of params already redacted (as a job record stores them): `sha256:<hex>` of their stable JSON. */
export function redactedParamsDigest(redacted: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(redacted)).digest('hex')}`;
}

/**
 * `sha256:<hex>` of the params' stable JSON after every secret field (writeOnly / secret in the
 * action's schema) was redacted: equal requests get equal digests, and the log never holds a secret.
 */
export function paramsDigest(params: unknown, schema: JsonSchema | undefined): string {
  const object = typeof params === 'object' && params !== null && !Array.isArray(params);
  return redactedParamsDigest(
    object ? redactParams(params as Record<string, unknown>, schema) : (params ?? {}),
  );
}
