/** Characters a node or action glob may hold: those of node and action ids, plus `*` and `?`. */
const GLOB_PATTERN = /^[A-Za-z0-9._*?-]{1,256}$/;

/** True for a well-formed glob: `ws-*`, `rv.*`, `*.ping`, `ws-0??`. */
export function isValidGlob(value: unknown): value is string {
  return typeof value === 'string' && GLOB_PATTERN.test(value);
}

/**
 * Anchored glob match: `*` is any run of characters (empty too), `?` exactly one, anything else
 * itself. Matched by hand (two pointers with backtracking to the last `*`) rather than through a
 * RegExp built from configuration, so a glob can neither inject a pattern nor backtrack badly.
 * @example matchGlob('rv.*', 'rv.open_sources') // true
 */
export function matchGlob(glob: string, value: string): boolean {
  let g = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = glob[g];
    if (c === '*') {
      star = g;
      g += 1;
      resume = v;
    } else if (c !== undefined && (c === '?' || c === value[v])) {
      g += 1;
      v += 1;
    } else if (star !== -1) {
      g = star + 1;
      resume += 1;
      v = resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g += 1;
  return g === glob.length;
}

/** True when `value` matches one of `globs`; an absent list matches everything. */
export function matchesAny(globs: readonly string[] | undefined, value: string): boolean {
  return globs === undefined || globs.some((glob) => matchGlob(glob, value));
}
