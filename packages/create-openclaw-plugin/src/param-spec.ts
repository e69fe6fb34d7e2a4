import { ScaffoldError } from './errors.js';

/** The param types `name:type` may name; `path` is a string with `format: "path"`. */
export const PARAM_TYPES = ['string', 'path', 'integer', 'number', 'boolean'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** One param of the first action, from `name:type`, `name:type[]` or `name?:type`. */
export interface ParamSpec {
  /** snake_case, as in the built-in plugins (`session_file`, `frame_range`). */
  name: string;
  type: ParamType;
  /** `type[]`: an array of that type with at least one item. */
  array: boolean;
  /** False for `name?:type`. */
  required: boolean;
}

const PARAM_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const PATH_LIKE =
  /^(?:path|paths|file|files|filename|filepath|dir|dirs|directory|folder|folders|script|scripts|source|sources|session|movie|scene)$|_(?:path|paths|file|files|dir|dirs|directory|folder|folders|script|scene)$|^path_/;

/** True for a name that usually holds a local path (`script`, `session_file`, `output_dir`). */
export function looksLikePath(name: string): boolean {
  return PATH_LIKE.test(name);
}

/** Parse one `name:type` spec; throws ScaffoldError with the accepted forms. */
export function parseParamSpec(text: string, field = '--param'): ParamSpec {
  const match = /^([^:?]+)(\?)?:([a-z]+)(\[\])?(\?)?$/.exec(text.trim());
  if (!match) {
    throw new ScaffoldError(
      field,
      `"${text}" is not a param spec: use name:type, name:type[] or name?:type (optional), with type one of ${PARAM_TYPES.join(', ')}`,
    );
  }
  const [, name = '', optionalBefore, type = '', array, optionalAfter] = match;
  if (!PARAM_NAME.test(name)) {
    throw new ScaffoldError(
      field,
      `param name "${name}" must be snake_case: lower-case letters, digits and "_", starting with a letter`,
    );
  }
  if (!(PARAM_TYPES as readonly string[]).includes(type)) {
    throw new ScaffoldError(
      field,
      `param ${name} has unknown type "${type}": use one of ${PARAM_TYPES.join(', ')} (add [] for a list)`,
    );
  }
  return {
    name,
    type: type as ParamType,
    array: array !== undefined,
    required: !optionalBefore && !optionalAfter,
  };
}

/** Parse a list of specs separated by commas or spaces; names must be unique. */
export function parseParamSpecs(texts: readonly string[], field = '--param'): ParamSpec[] {
  const specs = texts
    .flatMap((text) => text.split(/[\s,]+/).filter(Boolean))
    .map((text) => parseParamSpec(text, field));
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new ScaffoldError(field, `param ${spec.name} is given twice`);
    seen.add(spec.name);
  }
  return specs;
}

/** The spec written back as text, e.g. for a prompt's default answer. */
export function formatParamSpec(spec: ParamSpec): string {
  return `${spec.name}${spec.required ? '' : '?'}:${spec.type}${spec.array ? '[]' : ''}`;
}
