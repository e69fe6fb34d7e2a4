import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** No control characters anywhere; no leading or trailing '/'. */
export const BIN_PATTERN =
  '^[^/\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^/\\u0000-\\u001f\\u007f])?$';

/** One printable line: timeline and clip names. */
export const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f]+$';

const BIN = new RegExp(BIN_PATTERN, 'u');
const NAME = new RegExp(NAME_PATTERN, 'u');

/** Re-check a bin path in the handler: the schema may have been bypassed by a direct caller. */
export function checkBinPath(bin: string): void {
  if (!BIN.test(bin) || bin.split('/').some((part) => part.trim() === '')) {
    throw new OpenClawError(
      'INVALID_PARAMS',
      `params.bin must be bin names separated by single '/' with no control characters: ${JSON.stringify(bin)}`,
      { details: { field: 'params.bin' } },
    );
  }
}

/** Re-check a timeline or clip name in the handler; `field` is its full path, `params.name`. */
export function checkName(field: string, value: string): void {
  if (!NAME.test(value) || value.trim() === '') {
    throw new OpenClawError(
      'INVALID_PARAMS',
      `${field} must be a non-blank name with no control characters`,
      { details: { field } },
    );
  }
}
