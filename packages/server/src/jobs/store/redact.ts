import { compileLinearPattern, type JsonSchema, type LinearRegExp } from '@openclaw-node/core';

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

const BASE = 'openclaw-schema:/root';

/** The root schema of the params and its `$id`/`$anchor` index, built once per redaction. */
interface Ctx {
  root: Schema;
  ids: Map<string, Schema>;
}

/** Every schema of `root` by its `$id` (resolved against the enclosing ids) and `$anchor`. */
function indexIds(root: Schema): Map<string, Schema> {
  const ids = new Map<string, Schema>();
  const seen = new Set<unknown>();
  const walk = (node: unknown, base: string, depth: number): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) walk(item, base, depth + 1);
      return;
    }
    const schema = node as Schema;
    let here = base;
    if (typeof schema.$id === 'string') {
      here = absolute(schema.$id, base) ?? base;
      ids.set(here, schema);
    }
    if (typeof schema.$anchor === 'string') ids.set(`${here.replace(/#.*$/, '')}#${schema.$anchor}`, schema);
    for (const [key, child] of Object.entries(schema)) {
      if (key !== 'const' && key !== 'enum' && key !== 'default' && key !== 'examples')
        walk(child, here, depth + 1);
    }
  };
  walk(root, BASE, 0);
  return ids;
}

function absolute(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

/**
 * Follows a `$ref`: a local pointer (`#/definitions/x`), an `$id` or `$anchor` anywhere in the schema
 * (`tok.json`, `#secret`), or a pointer inside one (`tok.json#/properties/x`). A remote or broken
 * reference resolves to nothing (ajv refuses to compile such a schema, so no params reach here).
 */
function resolveRef(root: Schema, ids: Map<string, Schema>, ref: string): Schema | undefined {
  if (ref === '#') return root;
  if (ref.startsWith('#/')) return pointer(root, ref.slice(2));
  const target = absolute(ref, typeof root.$id === 'string' ? (absolute(root.$id, BASE) ?? BASE) : BASE);
  if (target === undefined) return undefined;
  const exact = ids.get(target);
  if (exact) return exact;
  const hash = target.indexOf('#/');
  if (hash < 0) return undefined;
  const doc = ids.get(target.slice(0, hash)) ?? (target.startsWith(`${BASE}#`) ? root : undefined);
  return doc ? pointer(doc, decodeURIComponent(target.slice(hash + 2))) : undefined;
}

function pointer(doc: Schema, path: string): Schema | undefined {
  let node: unknown = doc;
  for (const raw of path.split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = Object.hasOwn(node as object, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return isObject(node) ? node : undefined;
}

/**
 * Every subschema that applies to one value: the schema itself plus, recursively, its `$ref`,
 * `allOf`, `anyOf`, `oneOf`, `if`, `then`, `else` and `dependencies`/`dependentSchemas` branches.
 * Any branch marking the value secret is enough, because we cannot know which branch of an `anyOf`
 * the value matched or which dependency applied.
 */
function expand({ root, ids }: Ctx, schemas: unknown[]): Schema[] {
  const out: Schema[] = [];
  const seen = new Set<Schema>();
  const queue = [...schemas];
  while (queue.length > 0) {
    const schema = queue.shift();
    if (!isObject(schema) || seen.has(schema)) continue;
    seen.add(schema);
    out.push(schema);
    if (typeof schema.$ref === 'string') queue.push(resolveRef(root, ids, schema.$ref));
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) queue.push(...(list as unknown[]));
    }
    queue.push(schema.if, schema.then, schema.else);
    for (const key of ['dependencies', 'dependentSchemas'] as const) {
      // draft-07 `dependencies` also takes arrays of names, which are no schemas (skipped above).
      if (isObject(schema[key])) queue.push(...Object.values(schema[key]));
    }
  }
  return out;
}

const patterns = new Map<string, LinearRegExp | null>();
/** Agent-supplied patterns run on the linear-time engine, like the validators; a bad one matches nothing. */
function matches(pattern: string, key: string): boolean {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = compileLinearPattern(pattern);
    } catch {
      compiled = null;
    }
    if (patterns.size >= 4096) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled?.test(key) ?? false;
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

function redactValue(ctx: Ctx, value: unknown, schemas: unknown[], depth: number): unknown {
  const applicable = expand(ctx, schemas);
  if (applicable.some(isSecret)) return REDACTED;
  if (depth >= MAX_DEPTH || applicable.length === 0) return copy(value);
  if (Array.isArray(value)) {
    return value.map((item, i) => redactValue(ctx, item, itemSchemas(applicable, i), depth + 1));
  }
  if (isObject(value)) {
    // fromEntries defines own properties: a param named `__proto__` stays a param, not a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        redactValue(ctx, item, propertySchemas(applicable, key), depth + 1),
      ]),
    );
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
 * Whether a schema marks nothing secret, by identity: a manifest's schema is the same object on every
 * exec and is never edited in place (ajv caches its compiled validators the same way).
 */
const secretFree = new WeakMap<object, boolean>();
/** Deeper schemas are not vouched for: they take the full walk. */
const SECRET_SCAN_DEPTH = 64;

/**
 * True when no object anywhere in `schema` (every keyword, `$defs`, `const` and `default` included)
 * says `writeOnly: true` or `secret: true`: then no $ref or branch can make a value secret, and the
 * redacted params are a plain copy. Conservative: anything it cannot vouch for takes the full walk.
 */
export function marksNothingSecret(schema: object): boolean {
  const known = secretFree.get(schema);
  if (known !== undefined) return known;
  const clean = (node: unknown, depth: number): boolean => {
    if (typeof node !== 'object' || node === null) return true;
    if (depth > SECRET_SCAN_DEPTH) return false;
    if (Array.isArray(node)) return node.every((item) => clean(item, depth + 1));
    if (isSecret(node as Schema)) return false;
    return Object.values(node).every((child) => clean(child, depth + 1));
  };
  const result = clean(schema, 0);
  secretFree.set(schema, result);
  return result;
}

/**
 * `params` with its secret values redacted, for a caller that copies the result anyway (the stores
 * serialise it): `params` itself when the schema marks nothing secret, else redactParams' copy.
 */
export function redactedForCopy(
  params: Record<string, unknown>,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  return !schema || marksNothingSecret(schema) ? params : redactParams(params, schema);
}

/**
 * A copy of `params` where every value whose schema says `writeOnly: true` or `secret: true` is
 * replaced by "[redacted]", walking properties, patternProperties, additionalProperties, items,
 * prefixItems, $ref (pointers, `$id`s, `$anchor`s), allOf/anyOf/oneOf, if/then/else and
 * dependencies/dependentSchemas. Never mutates its input.
 * @example redactParams({ user: 'a', password: 'x' }, { type: 'object', properties: { password: { type: 'string', writeOnly: true } } })
 */
export function redactParams(
  params: Record<string, unknown>,
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  if (!schema || marksNothingSecret(schema)) return copy(params) as Record<string, unknown>;
  const ctx: Ctx = { root: schema, ids: indexIds(schema) };
  const roots = expand(ctx, [schema]);
  const rootSecret = roots.some(isSecret);
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      rootSecret ? REDACTED : redactValue(ctx, value, propertySchemas(roots, key), 1),
    ]),
  );
}
