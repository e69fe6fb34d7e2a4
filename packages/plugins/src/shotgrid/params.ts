import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** An entity type name: `Shot`, `Asset`, `CustomEntity01`. */
export const ENTITY_TYPE_PATTERN = '^[A-Z][A-Za-z0-9_]{0,63}$';
/** A status code of an sg_status_list field: `ip`, `rev`, `fin`. */
export const STATUS_PATTERN = '^[A-Za-z0-9_]{1,32}$';
/** A field name, possibly deep through a link (`sg_sequence.Sequence.code`), or `*` for all. */
export const FIELD_PATTERN =
  '^(?:\\*|[a-z][a-z0-9_]{0,99}(?:\\.[A-Z][A-Za-z0-9_]{0,63}\\.[a-z][a-z0-9_]{0,99}){0,3})$';
/** One line of printable text: names and codes. */
export const LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f]+$';
/** Description text: no control characters at all (the hostile-input battery treats line breaks as control too). */
export const TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f]*$';

/** Re-check a value against its schema pattern in the handler (`field` is its full path, `params.code`), for callers that skipped validation. */
export function checkPattern(field: string, value: string, pattern: string): void {
  if (!new RegExp(pattern, 'u').test(value)) {
    throw new OpenClawError('INVALID_PARAMS', `${field} has an invalid value: ${JSON.stringify(value)}`, {
      details: { field },
    });
  }
}
