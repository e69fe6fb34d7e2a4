import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

// RV sequence notation (APPS.md §2.2): `#`/`@` padding with an optional range before it
// (`1001-1100#`, `1-100x10#`, `1,3,5@@@@`, `-10--5#`), printf `%04d`, stereo `%V` / `%v`.
const TOKEN_SPLIT = /((?:-?\d[-\d,x]*)?(?:#+|@+)|%0?\d*d|%[Vv])/;
const ANY_TOKEN = /#|@|%0?\d*d|%[Vv]/;

/** True when a file name uses RV sequence notation rather than naming one file. */
export function isSequencePattern(file: string): boolean {
  return ANY_TOKEN.test(path.basename(file));
}

/** A regex matching the frame files of a sequence pattern's file name. */
export function framePattern(name: string): RegExp {
  const body = name
    .split(TOKEN_SPLIT)
    .map((part, i) => {
      // split() with a capture group puts the tokens at odd indexes.
      if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return /^%[Vv]$/.test(part) ? '.+' : '-?\\d+';
    })
    .join('');
  return new RegExp(`^${body}$`);
}

function notFound(field: string, message: string, target: string): OpenClawError {
  return new OpenClawError('PATH_NOT_FOUND', `${field} ${message}: ${target}`, {
    details: { field, path: target },
  });
}

/**
 * Check that a media path exists. A sequence pattern names no file, so its folder must exist and
 * hold at least one frame matching the pattern.
 */
export async function assertMediaExists(
  target: string,
  field: string,
): Promise<'file' | 'directory' | 'sequence'> {
  try {
    return (await stat(target)).isDirectory() ? 'directory' : 'file';
  } catch {
    if (!isSequencePattern(target)) throw notFound(field, 'does not exist', target);
  }
  const dir = path.dirname(target);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    throw notFound(field, 'is a sequence in a folder that does not exist', target);
  }
  const pattern = framePattern(path.basename(target));
  if (!entries.some((entry) => pattern.test(entry))) {
    throw notFound(field, 'is a sequence with no frames on disk', target);
  }
  return 'sequence';
}
