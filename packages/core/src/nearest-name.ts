import { distance } from 'fastest-levenshtein';

/**
 * The known name closest to a mistyped one (`exce` → `exec`, `rvv` → `rv`, `allowed_path` →
 * `allowed_paths`), or undefined when none is close enough to be what was meant. Case, `-` and `_`
 * count as one edit at most; the allowed distance grows with the length (2, then a third of it).
 * @example nearestName('exce', ['exec', 'jobs', 'nodes']) // 'exec'
 */
export function nearestName(input: string, known: Iterable<string>): string | undefined {
  const typed = input.toLowerCase();
  const limit = Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    if (name === input) return name;
    const d = distance(typed, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= limit && bestDistance < typed.length ? best : undefined;
}

/** `; did you mean "exec"?` for a close name, else an empty string. */
export function didYouMean(input: string, known: Iterable<string>, quote = '"'): string {
  const match = nearestName(input, known);
  return match === undefined ? '' : `; did you mean ${quote}${match}${quote}?`;
}
