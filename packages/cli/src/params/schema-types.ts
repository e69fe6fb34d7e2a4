import type { JsonSchema } from '@openclaw-node/core';

/** The JSON types a schema admits: `type` (string or list), `enum`/`const` values, `anyOf`/`oneOf` members. */
export function schemaTypes(schema: JsonSchema | undefined): Set<string> {
  const types = new Set<string>();
  if (!schema || typeof schema !== 'object') return types;
  const { type } = schema;
  if (typeof type === 'string') types.add(type);
  if (Array.isArray(type)) type.forEach((t) => typeof t === 'string' && types.add(t));
  const values: unknown[] = [
    ...(Array.isArray(schema.enum) ? (schema.enum as unknown[]) : []),
    ...('const' in schema ? [schema.const] : []),
  ];
  for (const value of values)
    types.add(value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const members = schema[key];
    if (Array.isArray(members))
      members.forEach((m) => schemaTypes(m as JsonSchema).forEach((t) => types.add(t)));
  }
  return types;
}
