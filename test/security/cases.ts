import type { PluginManifest } from '@openclaw-node/core';
import { baselineFor, extensionFor } from './baselines.js';
import { HOSTILE_PATHS, HOSTILE_STRINGS, type HostileString } from './hostile-values.js';
import { collectSlots, placeAt, type ParamSlot } from './param-slots.js';

/** What a refused request must answer: one of these codes, and the field at fault when it is about params. */
export interface Refusal {
  codes: string[];
  field?: string;
  /** A depth limit may name the top-level param holding the nesting rather than the nested item. */
  orAncestorField?: boolean;
}

/** A request the stack must refuse without starting a process or calling ShotGrid. */
export interface RefusalCase {
  name: string;
  /** The exec body (placeholders allowed). */
  body: unknown;
  /** Sent instead of JSON.stringify(body) when set: bodies JSON.stringify cannot write. */
  raw?: string;
  expect: Refusal;
}

/** A hostile value in a free-text slot: it is data, and must arrive verbatim and inert. */
export interface DataCase {
  name: string;
  action: string;
  field: string;
  value: string;
  body: { action: string; params: Record<string, unknown> };
}

const invalidParams = (field: string): Refusal => ({ codes: ['INVALID_PARAMS'], field });

/** Paths that ShotGrid stores as text for people to read; the agent never opens them. */
export const RECORDED_PATH_SLOTS = new Set([
  'shotgrid.publish_version params.path_to_movie',
  'shotgrid.publish_version params.path_to_frames',
]);

/** Values that look hostile but are documented, legal values of one slot (`*` asks ShotGrid for every field). */
const DOCUMENTED_VALUES: Record<string, readonly string[]> = {
  'shotgrid.get_shot_info params.fields[0]': ['*'],
};

const documented = (slot: ParamSlot, value: string): boolean =>
  DOCUMENTED_VALUES[`${slot.action} ${slot.field}`]?.includes(value) ?? false;

/** Longest string any free-text slot may take, whatever its schema says. */
const TEXT_CEILING = 10_000;

/**
 * Is this hostile string refused in a free-text slot? A `line` (names, codes) is one printable line;
 * a `text` (a description) may span lines but never holds a NUL byte. Both have a length limit.
 */
function refusedAsText(slot: ParamSlot, hostile: HostileString): boolean {
  const max = Math.min(
    typeof slot.schema.maxLength === 'number' ? slot.schema.maxLength : Infinity,
    TEXT_CEILING,
  );
  const minLength = typeof slot.schema.minLength === 'number' ? slot.schema.minLength : 0;
  const length = [...hostile.value].length;
  if (length > max || length < minLength) return true;
  if (slot.stringKind === 'text') return hostile.value.includes('\u0000');
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(hostile.value);
}

const bodyFor = (slot: ParamSlot, value: unknown) => ({
  action: slot.action,
  params: placeAt(baselineFor(slot), slot.steps, value),
});

/** Every hostile string in every string slot that must refuse it. */
export function stringCases(manifests: readonly PluginManifest[]): RefusalCase[] {
  return collectSlots(manifests)
    .filter((slot) => slot.stringKind)
    .flatMap((slot) =>
      HOSTILE_STRINGS.filter(
        (h) =>
          !documented(slot, h.value) &&
          ((slot.stringKind !== 'line' && slot.stringKind !== 'text') || refusedAsText(slot, h)),
      ).map((h) => ({
        name: `${slot.action} ${slot.field} ${h.category}:${h.label}`,
        body: bodyFor(slot, h.value),
        expect: invalidParams(slot.field),
      })),
    );
}

/** Every hostile string a free-text slot accepts, as data. */
export function textDataCases(manifests: readonly PluginManifest[]): DataCase[] {
  return collectSlots(manifests)
    .filter((slot) => slot.stringKind === 'line' || slot.stringKind === 'text')
    .flatMap((slot) =>
      HOSTILE_STRINGS.filter((h) => !refusedAsText(slot, h)).map((h) => ({
        name: `${slot.action} ${slot.field} ${h.category}:${h.label}`,
        action: slot.action,
        field: slot.field,
        value: h.value,
        body: bodyFor(slot, h.value),
      })),
    );
}

/** Every hostile path in every path slot: 400, 403, or the plugin's 422 for a hostile name that does not exist. */
export function pathCases(manifests: readonly PluginManifest[]): RefusalCase[] {
  return collectSlots(manifests)
    .filter((slot) => slot.stringKind === 'path')
    .flatMap((slot) => {
      const ext = extensionFor(slot);
      return HOSTILE_PATHS.filter(
        (p) => !(p.verdict === 'inside-missing' && RECORDED_PATH_SLOTS.has(`${slot.action} ${slot.field}`)),
      ).map((p) => {
        const expect: Refusal =
          p.verdict === 'outside'
            ? { codes: ['PATH_NOT_ALLOWED'], field: slot.field }
            : p.verdict === 'inside-missing'
              ? { codes: ['PATH_NOT_FOUND'], field: slot.field }
              : invalidParams(slot.field);
        return {
          name: `${slot.action} ${slot.field} path:${p.label}`,
          body: bodyFor(slot, p.build(ext)),
          expect,
        };
      });
    });
}

/** Hostile paths that a recorded path slot stores as text (they never leave the allowed root). */
export function pathDataCases(manifests: readonly PluginManifest[]): DataCase[] {
  return collectSlots(manifests)
    .filter((slot) => RECORDED_PATH_SLOTS.has(`${slot.action} ${slot.field}`))
    .flatMap((slot) =>
      HOSTILE_PATHS.filter((p) => p.verdict === 'inside-missing').map((p) => {
        const value = p.build(extensionFor(slot));
        return {
          name: `${slot.action} ${slot.field} path:${p.label}`,
          action: slot.action,
          field: slot.field,
          value,
          body: bodyFor(slot, value),
        };
      }),
    );
}

const WRONG_TYPES: { label: string; value: unknown; allowedBy: (types: string[]) => boolean }[] = [
  { label: 'integer', value: 42, allowedBy: (t) => t.includes('integer') || t.includes('number') },
  { label: 'fraction', value: 1.5, allowedBy: (t) => t.includes('number') },
  { label: 'boolean', value: true, allowedBy: (t) => t.includes('boolean') },
  { label: 'null', value: null, allowedBy: (t) => t.includes('null') },
  { label: 'array', value: ['x'], allowedBy: (t) => t.includes('array') },
  { label: 'object', value: { path: 'x' }, allowedBy: (t) => t.includes('object') },
  { label: 'string', value: '1', allowedBy: (t) => t.includes('string') },
];

/** Every slot given every JSON type it does not take. */
export function wrongTypeCases(manifests: readonly PluginManifest[]): RefusalCase[] {
  return collectSlots(manifests).flatMap((slot) =>
    WRONG_TYPES.filter((w) => slot.types.length > 0 && !w.allowedBy(slot.types)).map((w) => ({
      name: `${slot.action} ${slot.field} type:${w.label}`,
      body: bodyFor(slot, w.value),
      expect: invalidParams(slot.field),
    })),
  );
}

/** Number edges in every number slot: `1e400` (JSON.parse makes it Infinity), negatives, one past the maximum. */
export function numberEdgeCases(manifests: readonly PluginManifest[]): RefusalCase[] {
  const SENTINEL = '"__NUMBER_UNDER_TEST__"';
  return collectSlots(manifests)
    .filter((slot) => slot.types.includes('integer') || slot.types.includes('number'))
    .flatMap((slot) => {
      const edges: [string, string][] = [
        ['infinity', '1e400'],
        ['minus-infinity', '-1e400'],
      ];
      if (typeof slot.schema.minimum === 'number' && slot.schema.minimum >= 0) edges.push(['negative', '-1']);
      if (typeof slot.schema.maximum === 'number')
        edges.push(['over-maximum', String(slot.schema.maximum + 1)]);
      return edges.map(([label, literal]) => {
        const body = bodyFor(slot, '__NUMBER_UNDER_TEST__');
        return {
          name: `${slot.action} ${slot.field} number:${label}`,
          body,
          raw: JSON.stringify(body).replace(SENTINEL, literal),
          expect: invalidParams(slot.field),
        };
      });
    });
}

/** Nested `depth` levels: `{ a: { a: … } }` or `[[…]]`. */
export function nested(depth: number, kind: 'object' | 'array'): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = kind === 'object' ? { a: value } : [value];
  return value;
}

/** Extra properties (plain, prototype-named), deep nesting and huge arrays, for every action. */
export function shapeCases(manifests: readonly PluginManifest[]): RefusalCase[] {
  const slots = collectSlots(manifests);
  const cases: RefusalCase[] = [];
  for (const manifest of manifests) {
    for (const [name, definition] of Object.entries(manifest.actions)) {
      const action = `${manifest.name}.${name}`;
      const baseline = baselineFor({ action, field: '', actionParams: definition.params });
      cases.push(
        {
          name: `${action} params.evil shape:extra-property`,
          body: { action, params: { ...baseline, evil: 1 } },
          expect: invalidParams('params.evil'),
        },
        {
          name: `${action} params.a shape:nested-100-objects`,
          body: { action, params: { ...baseline, a: (nested(100, 'object') as { a: unknown }).a } },
          expect: { ...invalidParams('params.a'), orAncestorField: true },
        },
        {
          name: `${action} params.__proto__ shape:proto-key`,
          body: { action, params: baseline },
          raw: JSON.stringify({ action, params: baseline }).replace(
            /\}\}$/,
            `${Object.keys(baseline).length ? ',' : ''}"__proto__":{"path":"/etc"}}}`,
          ),
          expect: invalidParams('params.__proto__'),
        },
        {
          name: `${action} params.constructor shape:constructor-key`,
          body: { action, params: { ...baseline, constructor: { name: 'x' } } },
          expect: invalidParams('params.constructor'),
        },
      );
    }
  }
  for (const slot of slots) {
    // In an array slot the nesting starts at its first item, which is where the validator points.
    cases.push({
      name: `${slot.action} ${slot.field} shape:nested-100-arrays`,
      body: bodyFor(slot, nested(100, 'array')),
      expect: {
        ...invalidParams(slot.types.includes('array') ? `${slot.field}[0]` : slot.field),
        orAncestorField: true,
      },
    });
    if (slot.types.includes('object') && slot.schema.additionalProperties === false) {
      cases.push({
        name: `${slot.action} ${slot.field}.evil shape:extra-item-property`,
        body: bodyFor({ ...slot, steps: [...slot.steps, { key: 'evil' }] }, 1),
        expect: invalidParams(`${slot.field}.evil`),
      });
    }
    if (slot.types.includes('array')) {
      // One past the bound; a list with no bound gets 10,000 items, which it must refuse all the same.
      const length = typeof slot.schema.maxItems === 'number' ? slot.schema.maxItems + 1 : 10_000;
      const items = Array.from({ length }, () => hugeArrayItem(slot));
      cases.push({
        name: `${slot.action} ${slot.field} shape:huge-array`,
        body: bodyFor(slot, items),
        expect: invalidParams(slot.field),
      });
    }
  }
  return cases;
}

/** A valid item for an array slot, so only the item count is wrong. */
function hugeArrayItem(slot: ParamSlot): unknown {
  const items = (slot.schema.items ?? {}) as Record<string, unknown>;
  if (items.format === 'path') return '{{show}}/sh010/comp/plate.exr';
  if (Array.isArray(items.type) && items.type.includes('string')) return '{{show}}/sh010/comp/plate.exr';
  if (typeof items.pattern === 'string') {
    for (const candidate of ['Write1', 'left', 'code', 'sh010'])
      if (new RegExp(items.pattern, 'u').test(candidate)) return candidate;
  }
  return 'sh010';
}
