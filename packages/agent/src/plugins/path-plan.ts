import {
  compileLinearPattern,
  OpenClawError,
  type JsonSchema,
  type LinearRegExp,
  type Validator,
} from '@openclaw-node/core';
import { childField } from '../config/field-path.js';

/** One `format: "path"` value found in a job's params. */
export interface PathValue {
  /** `params.sources[0]` */
  field: string;
  value: string;
  /** Keys from the params object down to the value: `['sources', 0]`. */
  location: (string | number)[];
}

/** Finds every `format: "path"` value in params by walking the schema and the params together. */
export interface PathPlan {
  collect(params: unknown): PathValue[];
}

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// Keywords whose values are data, not schemas, so a `format: "path"` inside them means nothing.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'definitions', '$defs']);

/**
 * Build the walker for one action's params schema. Union branches (`anyOf`/`oneOf`) get a validator
 * compiled here, once, so a value is only treated as a path by the branch it actually matches. A
 * `format: "path"` the walker cannot reach (under `not`, `if`, `then`, `contains`…) would go
 * unchecked, so it is refused here rather than silently allowed.
 */
export function compilePathPlan(root: JsonSchema, compile: (schema: JsonSchema) => Validator): PathPlan {
  const branchValidators = new Map<Schema, Validator>();
  // The same linear-time engine as the validators, so a key matches here exactly when ajv says so.
  const patterns = new Map<string, LinearRegExp>();
  const regex = (pattern: string): LinearRegExp => {
    let compiled = patterns.get(pattern);
    if (!compiled) patterns.set(pattern, (compiled = compileLinearPattern(pattern)));
    return compiled;
  };
  const visited = new Set<Schema>();
  const resolveRef = (ref: string): Schema => {
    const match = /^#\/(definitions|\$defs)\/([^/]+)$/.exec(ref);
    const defs = match ? root[match[1]!] : undefined;
    const target = isSchema(defs)
      ? defs[decodeURIComponent(match![2]!).replace(/~1/g, '/').replace(/~0/g, '~')]
      : undefined;
    if (!isSchema(target)) {
      throw unsupported(`$ref ${JSON.stringify(ref)} is not a local #/definitions or #/$defs reference`);
    }
    return target;
  };

  const visit = (schema: unknown): void => {
    if (!isSchema(schema) || visited.has(schema)) return;
    visited.add(schema);
    if (typeof schema.$ref === 'string') visit(resolveRef(schema.$ref));
    for (const key of ['properties', 'patternProperties'] as const) {
      if (isSchema(schema[key])) Object.values(schema[key]).forEach(visit);
    }
    visit(schema.additionalProperties);
    for (const key of ['items', 'prefixItems', 'additionalItems'] as const) {
      const value = schema[key];
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
    if (Array.isArray(schema.allOf)) schema.allOf.forEach(visit);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        if (!isSchema(branch)) continue;
        branchValidators.set(branch, compile(withDefinitions(branch, root)));
        visit(branch);
      }
    }
  };
  visit(root);
  refuseUnreachablePaths(root, visited, resolveRef);

  const walk = (
    schema: unknown,
    value: unknown,
    at: { field: string; location: (string | number)[] },
    out: Map<string, PathValue>,
    depth: number,
  ): void => {
    if (!isSchema(schema) || depth > 64) return;
    const { field, location } = at;
    const child = (key: string | number) => ({
      field: childField(field, key),
      location: [...location, key],
    });
    if (typeof schema.$ref === 'string') walk(resolveRef(schema.$ref), value, at, out, depth + 1);
    if (schema.format === 'path' && typeof value === 'string')
      out.set(`${field}\u0000${value}`, { field, value, location });
    if (isSchema(value)) {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const patterns = isSchema(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
      for (const [key, item] of Object.entries(value)) {
        let matched = Object.hasOwn(properties, key);
        if (matched) walk(properties[key], item, child(key), out, depth + 1);
        for (const [pattern, sub] of patterns) {
          if (regex(pattern).test(key)) {
            matched = true;
            walk(sub, item, child(key), out, depth + 1);
          }
        }
        if (!matched) walk(schema.additionalProperties, item, child(key), out, depth + 1);
      }
    }
    if (Array.isArray(value)) {
      const tuple = Array.isArray(schema.prefixItems)
        ? schema.prefixItems
        : Array.isArray(schema.items)
          ? schema.items
          : [];
      const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
      value.forEach((item, index) => {
        walk(index < tuple.length ? tuple[index] : rest, item, child(index), out, depth + 1);
      });
    }
    if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) walk(sub, value, at, out, depth + 1);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        if (isSchema(branch) && branchValidators.get(branch)?.(value) === null)
          walk(branch, value, at, out, depth + 1);
      }
    }
  };

  return {
    collect(params) {
      const out = new Map<string, PathValue>();
      walk(root, params, { field: 'params', location: [] }, out, 0);
      return [...out.values()];
    },
  };
}

/** Put `value` where `location` points in `params` (found there by `collect`, so every step exists). */
export function replacePathValue(
  params: unknown,
  location: readonly (string | number)[],
  value: string,
): void {
  let container = params as Record<string | number, unknown>;
  for (const key of location.slice(0, -1)) container = container[key] as Record<string | number, unknown>;
  const last = location.at(-1);
  if (last !== undefined) container[last] = value;
}

function refuseUnreachablePaths(
  root: Schema,
  visited: Set<Schema>,
  resolveRef: (ref: string) => Schema,
): void {
  const mentionsPath = (schema: Schema, seen: Set<Schema>): boolean => {
    if (seen.has(schema)) return false;
    seen.add(schema);
    if (schema.format === 'path') return true;
    if (typeof schema.$ref === 'string' && mentionsPath(resolveRef(schema.$ref), seen)) return true;
    return Object.entries(schema).some(
      ([key, child]) => !DATA_KEYWORDS.has(key) && containsSchemaWithPath(child, seen),
    );
  };
  const containsSchemaWithPath = (value: unknown, seen: Set<Schema>): boolean =>
    Array.isArray(value)
      ? value.some((item) => containsSchemaWithPath(item, seen))
      : isSchema(value) && mentionsPath(value, seen);

  const scan = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => scan(item, `${where}/${index}`));
      return;
    }
    if (!isSchema(node)) return;
    if (!visited.has(node)) {
      const direct = node.format === 'path';
      const viaRef = typeof node.$ref === 'string' && mentionsPath(resolveRef(node.$ref), new Set());
      if (direct || viaRef) {
        throw unsupported(
          `format "path" at ${where || '/'} sits where the path guard cannot check it (use properties, items, anyOf or oneOf)`,
        );
      }
    }
    for (const [key, child] of Object.entries(node))
      if (!DATA_KEYWORDS.has(key)) scan(child, `${where}/${key}`);
  };
  scan(root, '');
}

function withDefinitions(branch: Schema, root: Schema): Schema {
  const extra: Schema = {};
  if (root.definitions !== undefined && branch.definitions === undefined)
    extra.definitions = root.definitions;
  if (root.$defs !== undefined && branch.$defs === undefined) extra.$defs = root.$defs;
  return { ...branch, ...extra };
}

function unsupported(message: string): OpenClawError {
  return new OpenClawError('PLUGIN_LOAD_FAILED', message, { details: { field: 'params' } });
}
