import { OpenClawError } from '@openclaw-node/core';

/** True when `value` nests deeper than `max` levels; never descends further than that. */
function deeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max <= 0) return true;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return children.some((child) => deeperThan(child, max - 1));
}

/** True when `value` nests deeper than `max` levels (safe on any depth: it stops at `max`). */
export function isDeeperThan(value: unknown, max: number): boolean {
  return deeperThan(value, max);
}

/**
 * Refuse exec params nested deeper than `maxDepth` before any schema sees them (validators and
 * redaction recurse). Throws INVALID_PARAMS naming the top-level param at fault.
 */
export function assertParamsDepth(params: unknown, maxDepth: number): void {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return;
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (deeperThan(value, maxDepth - 1)) {
      throw new OpenClawError('INVALID_PARAMS', `params.${key} is nested deeper than ${maxDepth} levels`, {
        details: { field: `params.${key}`, max_depth: maxDepth },
      });
    }
  }
}
