/** Marks a line cut at the length cap. */
const ELLIPSIS = '…';

/** Cut one line to `maxLength` characters (ellipsis included), dropping a trailing carriage return. */
export function capLine(line: string, maxLength: number): string {
  const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
  return clean.length <= maxLength ? clean : clean.slice(0, Math.max(0, maxLength - 1)) + ELLIPSIS;
}

/**
 * Entries as lines: each entry is split on newlines (one trailing newline ends a line rather than
 * starting an empty one), each line is capped, and only the last `maxLines` are kept.
 */
export function toLogLines(entries: readonly string[], maxLength: number, maxLines: number): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const parts = entry.split('\n');
    if (parts.length > 1 && parts.at(-1) === '') parts.pop();
    for (const part of parts) out.push(capLine(part, maxLength));
  }
  return out.length > maxLines ? out.slice(out.length - maxLines) : out;
}

/** The tail after appending `lines`: the last `maxLines`, oldest first. */
export function appendToTail(tail: readonly string[], lines: readonly string[], maxLines: number): string[] {
  const next = [...tail, ...lines];
  return next.length > maxLines ? next.slice(next.length - maxLines) : next;
}
