import { OpenClawError } from '@openclaw-node/core';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './job-store.js';

/** A position in the newest-first order: the last job of a page. */
export interface CursorPosition {
  createdMs: number;
  commandId: string;
}

/** The opaque `next_cursor`: base64url of `[created_at ms, command_id]`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdMs, position.commandId]), 'utf8').toString('base64url');
}

/** Read a cursor from a client; INVALID_CURSOR (400) naming `cursor` if it is not one of ours. */
export function decodeCursor(cursor: string): CursorPosition {
  const invalid = (): OpenClawError =>
    new OpenClawError('INVALID_CURSOR', 'cursor is not a next_cursor returned by this API', {
      details: { field: 'cursor' },
    });
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 1024 || !/^[\w-]+$/.test(cursor)) {
    throw invalid();
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !Number.isSafeInteger(value[0]) ||
    typeof value[1] !== 'string' ||
    value[1] === ''
  ) {
    throw invalid();
  }
  return { createdMs: value[0] as number, commandId: value[1] };
}

/** The page size to use; INVALID_BODY naming `limit` unless it is a positive integer. Large values are capped. */
export function resolvePageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new OpenClawError('INVALID_BODY', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`, {
      details: { field: 'limit' },
    });
  }
  return Math.min(limit, MAX_PAGE_LIMIT);
}

/** Order of ids by Unicode code point, which is SQLite's BINARY order of their UTF-8 bytes. */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Newest first: created_at descending, then command_id descending. */
export function compareNewestFirst(
  a: { created_ms: number; command_id: string },
  b: { created_ms: number; command_id: string },
): number {
  return b.created_ms - a.created_ms || compareIds(b.command_id, a.command_id);
}

/**
 * One page from rows read newest first with one row beyond `limit`: that extra row only says there
 * is a next page, whose cursor is the last row shown.
 */
export function pageOf<R extends { created_ms: number; command_id: string }, J>(
  rows: readonly R[],
  limit: number,
  toRecord: (row: R) => J,
): { jobs: J[]; next_cursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    jobs: pageRows.map(toRecord),
    next_cursor:
      rows.length > limit && last
        ? encodeCursor({ createdMs: last.created_ms, commandId: last.command_id })
        : null,
  };
}
