import type { JsonSchema } from '@openclaw-node/core';

/** What a secret value is replaced with in storage and logs. */
export const REDACTED = '[redacted]';

/** Nesting beyond this is left as is: deeper than any manifest may declare (MANIFEST_LIMITS.maxSchemaDepth). */
const MAX_DEPTH = 32;

type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSecret(schema: Schema): boolean {
  return schema.writeOnly === true || schema.secret === true;
}

/** Follows a local `$ref` (`#/definitions/x`, `#/$defs/x`); a remote or broken one resolves to nothing. */
function resolveRef(root: Schema, ref: string): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isObject(node) ? node : undefined;
}

/**
 * Every subschema that applies to one value: the schema itself plus, recursively, its `$ref`,
 * `allOf`, `anyOf`, `oneOf`, `then` and `else` branches. Any branch marking the value secret is
 * enough, because we cannot know which branch of an `anyOf` the value matched.
 */
function expand(root: Schema, schemas: unknown[]): Schema[] {
  const out: Schema[] = [];
  const seen = new Set<Schema>();
  const queue = [...schemas];
  while (queue.length > 0) {
    const schema = queue.shift();
    if (!isObject(schema) || seen.has(schema)) continue;
    seen.add(schema);
    out.push(schema);
    if (typeof schema.$ref === 'string') queue.push(resolveRef(root, schema.$ref));
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) queue.push(...(list as unknown[]));
    }
    queue.push(schema.then, schema.else);
  }
  return out;
}

function matches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

function propertySchemas(schemas: Schema[], key: string): unknown[] {
  const out: unknown[] = [];
  for (const schema of schemas) {
    let named = false;
    if (isObject(schema.properties) && Object.hasOwn(schema.properties, key)) {
      out.push(schema.properties[key]);
      named = true;
    }
    if (isObject(schema.patternProperties)) {
      for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
        if (matches(pattern, key)) {
          out.push(sub);
          named = true;
        }
      }
    }
    if (!named) out.push(schema.additionalProperties);
  }
  return out;
}

function itemSchemas(schemas: Schema[], index: number): unknown[] {
  const out: unknown[] = [];
  for (const schema of schemas) {
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as unknown[]) : undefined;
    if (Array.isArray(schema.items)) {
      // draft-07 tuple form
      const tuple = schema.items as unknown[];
      out.push(index < tuple.length ? tuple[index] : schema.additionalItems);
    } else if (prefix && index < prefix.length) {
      out.push(prefix[index]);
    } else {
      out.push(schema.items);
    }
  }
  return out;
}

function redactValue(root: Schema, value: unknown, schemas: unknown[], depth: number): unknown {
  const applicable = expand(root, schemas);
  if (applicable.some(isSecret)) return REDACTED;
  if (depth >= MAX_DEPTH || applicable.length === 0) return copy(value);
  if (Array.isArray(value)) {
    return value.map((item, i) => redactValue(root, item, itemSchemas(applicable, i), depth + 1));
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = redactValue(root, item, propertySchemas(applicable, key), depth + 1);
    }
    return out;
  }
  return value;
}

/** A deep copy of plain JSON data, so the result never shares objects with the input. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}

/**
 * A copy of `params` where every value whose schema says `writeOnly: true` or `secret: true` is
 * replaced by "[redacted]", walking properties, patternProperties, additionalProperties, items,
 * prefixItems, $ref, allOf/anyOf/oneOf and if/then/else. Never mutates its input.
 * @example redactParams({ user: 'a', password: 'x' }, { type: 'object', properties: { password: { type: 'string', writeOnly: true } } })
 */
export function redactParams(
  params: Record<string, unknown>,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  if (!schema) return copy(params) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const roots = expand(schema, [schema]);
  const rootSecret = roots.some(isSecret);
  for (const [key, value] of Object.entries(params)) {
    out[key] = rootSecret ? REDACTED : redactValue(schema, value, propertySchemas(roots, key), 1);
  }
  return out;
}
