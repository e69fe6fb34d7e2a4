import { isAbsolutePathValue } from '@openclaw-node/core';

/** Limits on a hello's `allowed_paths`; an agent that exceeds them keeps its connection but not the list. */
export const ALLOWED_PATHS_LIMITS = { maxEntries: 64, maxLength: 1024 } as const;

// Control, line-separator and bidi characters: a path shown on a page or a terminal must read as it is.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What a hello's `allowed_paths` came to: the list to keep, or why it was dropped. */
export type AllowedPathsResult = { paths?: string[]; dropped?: string };

/**
 * Read the optional `allowed_paths` of a hello (older agents omit it; `null` reads as absent). The list
 * is informational (the agent enforces its own), so a malformed one never refuses the hello: it is
 * dropped whole, with the reason for a log line, rather than shown cut or filtered as if it were the
 * node's real list.
 */
export function parseAllowedPaths(hello: unknown): AllowedPathsResult {
  const raw = (hello as { allowed_paths?: unknown } | null)?.allowed_paths;
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw)) return { dropped: 'hello.allowed_paths is not a list' };
  if (raw.length > ALLOWED_PATHS_LIMITS.maxEntries) {
    return {
      dropped: `hello.allowed_paths has ${raw.length} entries, more than ${ALLOWED_PATHS_LIMITS.maxEntries}`,
    };
  }
  for (const [i, entry] of raw.entries()) {
    const problem = entryProblem(entry);
    if (problem) return { dropped: `hello.allowed_paths[${i}] ${problem}` };
  }
  return { paths: [...(raw as string[])] };
}

function entryProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return 'is not a string';
  if (entry.length > ALLOWED_PATHS_LIMITS.maxLength) {
    return `is longer than ${ALLOWED_PATHS_LIMITS.maxLength} characters`;
  }
  if (UNPRINTABLE.test(entry)) return 'has control or bidirectional characters';
  if (!isAbsolutePathValue(entry)) return 'is not an absolute path';
  return undefined;
}
