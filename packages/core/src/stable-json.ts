/** JSON with object keys sorted, so equal values give equal strings (manifest hashing). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Nesting depth of a JSON value (a scalar is 0). */
export function jsonDepth(value: unknown, limit = 64): number {
  if (value === null || typeof value !== 'object') return 0;
  let max = 0;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  for (const child of children) {
    const d = jsonDepth(child, limit - 1);
    if (d > max) max = d;
    if (max >= limit) break;
  }
  return max + 1;
}

/** Keys shown as they are in a path; others (control characters, markup) are shown as `[?]`. */
const PLAIN_KEY = /^[A-Za-z0-9_$-]{1,64}$/;

/**
 * Where `value` holds a number JSON text cannot (Infinity, -Infinity or NaN; JSON.parse reads 1e400 as
 * Infinity), as a path suffix (`.actions.set.params.const`, `[2]`), or undefined. stableStringify and
 * JSON.stringify write such numbers as `null`, so two values that differ there would hash alike.
 * Iterative: a hostile value may nest as deep as its bytes allow.
 */
export function nonFinitePath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}[${i}]`]);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item))
        stack.push([child, `${path}${PLAIN_KEY.test(key) ? `.${key}` : '[?]'}`]);
    }
  }
  return undefined;
}
