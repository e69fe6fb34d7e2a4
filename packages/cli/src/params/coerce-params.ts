import type { JsonSchema } from '@openclaw-node/core';
import { UsageError } from '../clipanion.js';
import { schemaTypes } from './schema-types.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** One `key=value` argument. */
export interface Assignment {
  key: string;
  value: string;
}

/** Split `key=value` arguments (the value may contain `=`); anything else is a usage error. */
export function parseAssignments(args: readonly string[]): Assignment[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(
        `Expected key=value, got ${JSON.stringify(arg)} (e.g. path=/show/sh010 or threads=8)`,
      );
    }
    return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
  });
}

/**
 * Turn `key=value` strings into typed params using the action's params schema: integer/number,
 * boolean (true/false/1/0/yes/no), array (JSON, or comma-separated, or the key repeated), object
 * (JSON). Keys the schema does not know stay strings, for the server to report.
 */
export function coerceParams(
  assignments: readonly Assignment[],
  schema: JsonSchema | undefined,
): Record<string, unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const params: Record<string, unknown> = {};
  for (const { key, value } of assignments) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    const coerced = coerceValue(value, property, key);
    if (Object.hasOwn(params, key)) {
      const previous = params[key];
      if (!Array.isArray(previous) || !Array.isArray(coerced)) throw new UsageError(`${key} is given twice`);
      setOwn(params, key, [...(previous as unknown[]), ...(coerced as unknown[])]);
    } else {
      setOwn(params, key, coerced);
    }
  }
  return params;
}

/**
 * Coerce one value by its schema; throws UsageError naming the key. When the schema also admits a
 * string, only unambiguous spellings convert (`1001` but not `010`, `true` but not `yes`, JSON only
 * when it starts with `[` or `{`), so a string param never loses characters.
 */
export function coerceValue(raw: string, schema: JsonSchema | undefined, key: string): unknown {
  const types = schemaTypes(schema);
  if (types.size === 0) return raw;
  const text = raw.trim();
  const stringToo = types.has('string');
  if (types.has('null') && raw === 'null') return null;
  const lower = text.toLowerCase();
  if (
    types.has('boolean') &&
    (stringToo ? raw === 'true' || raw === 'false' : TRUE.has(lower) || FALSE.has(lower))
  ) {
    return TRUE.has(lower);
  }
  if ((types.has('integer') || types.has('number')) && NUMBER.test(text)) {
    const number = Number(text);
    const exact = !stringToo || String(number) === raw;
    if (exact && Number.isFinite(number) && (types.has('number') || Number.isInteger(number))) return number;
  }
  if (types.has('array') && (!stringToo || text.startsWith('['))) return coerceArray(raw, schema, key);
  if (types.has('object') && (!stringToo || text.startsWith('{'))) return parseJson(raw, key, 'object');
  if (stringToo) return raw;
  throw new UsageError(`${key} must be ${describeTypes(types)}, got ${JSON.stringify(raw)}`);
}

/** Assign as an own property even for `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function coerceArray(raw: string, schema: JsonSchema | undefined, key: string): unknown[] {
  if (raw.trim().startsWith('[')) return parseJson(raw, key, 'array') as unknown[];
  if (raw === '') return [];
  const items = schema?.items as JsonSchema | undefined;
  return raw.split(',').map((item, i) => coerceValue(item, items, `${key}[${i}]`));
}

function parseJson(raw: string, key: string, kind: 'array' | 'object'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`${key} must be a JSON ${kind}, got ${JSON.stringify(raw)}`);
  }
  const ok =
    kind === 'array'
      ? Array.isArray(value)
      : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw new UsageError(`${key} must be a JSON ${kind}, got ${JSON.stringify(raw)}`);
  return value;
}

function describeTypes(types: Set<string>): string {
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false (also 1/0, yes/no)',
    null: 'null',
  };
  return [...types].map((t) => names[t] ?? `a ${t}`).join(' or ');
}

/** Parse `--params`: a JSON object. */
export function parseParamsOption(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--params must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--params must be a JSON object, e.g. --params '{"path": "/show/sh010"}'`);
  }
  return value as Record<string, unknown>;
}
