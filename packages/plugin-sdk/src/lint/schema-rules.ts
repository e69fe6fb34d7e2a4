import { childField, type LintMessage } from './lint-message.js';

type Schema = Record<string, unknown>;
type Finding = Omit<LintMessage, 'file'>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Names that usually hold a local path: they need `format: "path"` so the agent can guard them. */
const PATH_LIKE_NAME =
  /^(?:path|paths|file|files|filename|filepath|dir|dirs|directory|folder|folders|script|scripts|source|sources|session|movie|scene|scenes)$|_(?:path|paths|file|files|dir|dirs|directory|folder|folders|script|scripts|scene)$|^path_/;
const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;
// Subschemas the agent's path guard never walks: a `format: "path"` there goes unchecked, so the agent refuses it.
const UNGUARDED = ['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'dependentSchemas'] as const;

/** True for a param name that looks like it holds a path (`script`, `session_file`, `output_dir`). */
export function looksLikePathName(name: string): boolean {
  return PATH_LIKE_NAME.test(name);
}

interface Place {
  field: string;
  /** The property this schema belongs to (through items/anyOf too), for the path-name check. */
  owner: string | undefined;
  /** False where the agent's path guard does not look. */
  guarded: boolean;
  /** A branch of allOf: its object may be completed by a sibling, so additionalProperties is not asked for. */
  inAllOf: boolean;
}

/** Check one action's params schema: paths, descriptions, closed objects, constrained strings, names. */
export function lintParamsSchema(schema: unknown, field: string): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<Schema>();
  const visit = (node: unknown, place: Place): void => {
    if (!isSchema(node) || seen.has(node)) return;
    seen.add(node);
    checkNode(node, place, findings);
    const child = (value: unknown, key: string, overrides: Partial<Place> = {}): void =>
      visit(value, { ...place, field: childField(place.field, key), inAllOf: false, ...overrides });

    if (isSchema(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        if (place.guarded)
          checkProperty(name, property, childField(childField(place.field, 'properties'), name), findings);
        child(property, 'properties', {
          field: childField(childField(place.field, 'properties'), name),
          owner: name,
        });
      }
    }
    if (isSchema(node.patternProperties)) {
      for (const [pattern, property] of Object.entries(node.patternProperties)) {
        child(property, 'patternProperties', {
          field: childField(childField(place.field, 'patternProperties'), pattern),
          owner: undefined,
        });
      }
    }
    child(node.additionalProperties, 'additionalProperties', { owner: undefined });
    for (const key of ['items', 'prefixItems', 'additionalItems'] as const) {
      const value = node[key];
      if (Array.isArray(value))
        value.forEach((item, index) =>
          child(item, key, { field: childField(childField(place.field, key), index) }),
        );
      else child(value, key);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = node[key];
      if (!Array.isArray(branches)) continue;
      branches.forEach((branch, index) =>
        child(branch, key, {
          field: childField(childField(place.field, key), index),
          inAllOf: key === 'allOf',
        }),
      );
    }
    for (const key of ['$defs', 'definitions'] as const) {
      if (!isSchema(node[key])) continue;
      for (const [name, definition] of Object.entries(node[key])) {
        child(definition, key, { field: childField(childField(place.field, key), name), owner: undefined });
      }
    }
    for (const key of UNGUARDED) {
      const value = node[key];
      if (key === 'dependentSchemas' && isSchema(value)) {
        for (const [name, sub] of Object.entries(value))
          child(sub, key, { field: childField(childField(place.field, key), name), guarded: false });
      } else child(value, key, { guarded: false });
    }
  };
  visit(schema, { field, owner: undefined, guarded: true, inAllOf: false });
  return findings;
}

function checkProperty(name: string, property: unknown, field: string, findings: Finding[]): void {
  if (!SNAKE_CASE.test(name)) {
    findings.push({
      level: 'warning',
      rule: 'param-name',
      field,
      message: `param "${name}" is not snake_case: name params like the built-in ones (frame_range, session_file) so CLI and REST callers can guess them`,
    });
  }
  if (isSchema(property) && typeof property.$ref !== 'string' && !nonEmptyString(property.description)) {
    findings.push({
      level: 'error',
      rule: 'description',
      field,
      message: `param "${name}" has no description: say what it is and its unit or format`,
    });
  }
}

function checkNode(node: Schema, place: Place, findings: Finding[]): void {
  const { field } = place;
  if (node.format === 'path' && !place.guarded) {
    findings.push({
      level: 'error',
      rule: 'path-format',
      field,
      message:
        'format "path" sits where the agent\'s path guard cannot check it (under not/if/then/else/contains): the agent refuses to load it; use properties, items, anyOf or oneOf',
    });
  }
  if (isStringSchema(node) && place.guarded) {
    const constrained =
      node.enum !== undefined || node.const !== undefined || typeof node.pattern === 'string';
    if (place.owner && looksLikePathName(place.owner) && node.format === undefined) {
      findings.push({
        level: constrained ? 'warning' : 'error',
        rule: 'path-format',
        field,
        message: `"${place.owner}" looks like a file-system path but has no format: "path", so the agent cannot check it against allowed_paths: add format: "path" (or, if it is not a local path, give it another format)`,
      });
    } else if (!constrained && node.format === undefined) {
      findings.push({
        level: 'warning',
        rule: 'free-string',
        field,
        message:
          'accepts any string: add a pattern or an enum so the server refuses bad values before they reach the workstation (and a value starting with "-" is never read as a flag)',
      });
    }
  }
  // Conditions (if/not/contains…) describe values rather than declare params: only the path check applies.
  if (!place.guarded) return;
  if (isObjectSchema(node) && !place.inAllOf && node.unevaluatedProperties !== false) {
    if (node.additionalProperties === undefined || node.additionalProperties === true) {
      findings.push({
        level: 'error',
        rule: 'additional-properties',
        field,
        message:
          'does not set additionalProperties: false, so a misspelt param is silently ignored instead of refused',
      });
    }
  }
  if (Array.isArray(node.required) && isSchema(node.properties) && node.additionalProperties === false) {
    const properties = node.properties;
    node.required.forEach((name, index) => {
      if (typeof name === 'string' && !Object.hasOwn(properties, name)) {
        findings.push({
          level: 'error',
          rule: 'required',
          field: childField(childField(field, 'required'), index),
          message: `requires "${name}", which is not among the properties: no params could ever pass`,
        });
      }
    });
  }
}

function isStringSchema(node: Schema): boolean {
  return node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'));
}

function isObjectSchema(node: Schema): boolean {
  return node.type === 'object' || (node.type === undefined && isSchema(node.properties));
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}
