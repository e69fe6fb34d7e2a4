import type { JsonSchema, PluginManifest } from '@openclaw-node/core';

/** One step from the params object down to a value: an object key or an array index. */
export type Step = { key: string } | { index: number };

/**
 * What a string slot accepts, read from its schema: `path` (format "path"), `enum`, `token` (a strict
 * pattern: names, codes, frame ranges), `line` (any printable line: names and codes shown to people)
 * or `text` (free text, no pattern).
 */
export type StringKind = 'path' | 'enum' | 'token' | 'line' | 'text';

/** One place in an action's params where a value goes: a property, an array item, an item's property. */
export interface ParamSlot {
  /** `rv.open_sources` */
  action: string;
  /** The whole params schema of the action. */
  actionParams: JsonSchema;
  /** `params.sources[0].layers[0]`, as the validators name it. */
  field: string;
  steps: Step[];
  schema: JsonSchema;
  /** JSON types the schema allows here (from `type`, or from the values of an `enum`). */
  types: string[];
  /** Set when the slot takes strings. */
  stringKind?: StringKind;
}

// A printable line with the characters shell and flag parsers care about: a pattern that accepts it
// is a free-text pattern (it only keeps control characters out), not an identifier pattern.
const PRINTABLE_PROBE = 'Shot 010 ; $(id) | `x` -e ~/a "q"';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.enum)) {
    return [
      ...new Set(schema.enum.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v))),
    ];
  }
  return [];
}

function stringKindOf(schema: JsonSchema, types: string[]): StringKind | undefined {
  if (Array.isArray(schema.enum)) return 'enum';
  if (!types.includes('string')) return undefined;
  if (schema.format === 'path') return 'path';
  if (typeof schema.pattern !== 'string') return 'text';
  return new RegExp(schema.pattern, 'u').test(PRINTABLE_PROBE) ? 'line' : 'token';
}

/** Render steps the way core's validator names fields: `params.sources[0].path`. */
export function fieldOf(steps: readonly Step[]): string {
  return steps.reduce(
    (field, step) => ('key' in step ? `${field}.${step.key}` : `${field}[${step.index}]`),
    'params',
  );
}

/** Every slot of every action of the manifests, walking properties, array items and item properties. */
export function collectSlots(manifests: readonly PluginManifest[]): ParamSlot[] {
  const slots: ParamSlot[] = [];
  for (const manifest of manifests) {
    for (const [name, action] of Object.entries(manifest.actions)) {
      const id = `${manifest.name}.${name}`;
      const visit = (schema: unknown, steps: Step[]): void => {
        if (!isRecord(schema)) return;
        const types = typesOf(schema);
        const kind = stringKindOf(schema, types);
        slots.push({
          action: id,
          actionParams: action.params,
          field: fieldOf(steps),
          steps,
          schema,
          types,
          ...(kind ? { stringKind: kind } : {}),
        });
        if (isRecord(schema.properties)) {
          for (const [key, sub] of Object.entries(schema.properties)) visit(sub, [...steps, { key }]);
        }
        if (isRecord(schema.items)) visit(schema.items, [...steps, { index: 0 }]);
      };
      const properties = isRecord(action.params.properties) ? action.params.properties : {};
      for (const [key, sub] of Object.entries(properties)) visit(sub, [{ key }]);
    }
  }
  return slots;
}

/** The action ids of the manifests, for actions that take no params at all. */
export function actionIds(manifests: readonly PluginManifest[]): string[] {
  return manifests.flatMap((m) => Object.keys(m.actions).map((name) => `${m.name}.${name}`));
}

/**
 * Put `value` at the slot in a copy of `baseline`. A missing container is created; an array keeps
 * its other items; a string item that must become an object (an RV source) becomes `{ path: item }`.
 */
export function placeAt(
  baseline: Record<string, unknown>,
  steps: readonly Step[],
  value: unknown,
): Record<string, unknown> {
  const params = structuredClone(baseline);
  let container: Record<string, unknown> | unknown[] = params;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const next = steps[i + 1];
    const key = 'key' in step ? step.key : step.index;
    const holder = container as Record<string | number, unknown>;
    if (last) {
      holder[key] = value;
      return;
    }
    let child = holder[key];
    if (next && 'key' in next) {
      if (typeof child === 'string') child = { path: child };
      if (!isRecord(child)) child = {};
    } else if (!Array.isArray(child)) {
      child = [];
    }
    holder[key] = child;
    container = child as Record<string, unknown> | unknown[];
  });
  return params;
}
