import type { JobView } from '@openclaw-node/core';
import type { Principal } from '../../security/auth/auth-provider.js';
import { canSeeNode, isNodeScoped } from '../../security/auth/permissions.js';
import { toJobView } from '../../jobs/job-views.js';
import { decodeCursor, encodeCursor } from '../../jobs/store/cursor.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../jobs/store/job-store.js';
import type { JobFilter, JobRecord, JobStore } from '../../jobs/index.js';

/** Store pages a node-scoped listing reads at most to fill one page of visible jobs. */
const MAX_SCANS = 20;
/** A command id above every real one: resuming from it includes every job of that millisecond. */
const AFTER_EVERY_ID = '\u{10FFFF}';

export interface PageQuery {
  filter: JobFilter;
  cursor?: string;
  limit?: number;
  principal?: Principal;
  /** The page stops early once its job views reach this many bytes (at least one job is shown). */
  maxBytes: number;
}

/**
 * One page of `GET /api/jobs` as the caller may see it. The next cursor is built from the last job
 * *shown*, never from a job outside the caller's node scope (that would hand out its id); a scoped
 * caller's page is filled from further store pages instead of coming back short.
 */
export async function visibleJobPage(
  store: JobStore,
  query: PageQuery,
): Promise<{ jobs: JobView[]; next_cursor: string | null }> {
  const wanted = Math.min(query.limit ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);
  const scoped = isNodeScoped(query.principal);
  const jobs: JobView[] = [];
  let bytes = 0;
  let cursor = query.cursor;
  let lastShown: JobRecord | undefined;
  let lastScanned: JobRecord | undefined;
  for (let scan = 0; scan < MAX_SCANS; scan += 1) {
    const page = await store.list(query.filter, {
      ...(cursor === undefined ? {} : { cursor }),
      limit: scoped ? MAX_PAGE_LIMIT : wanted - jobs.length,
    });
    for (let i = 0; i < page.jobs.length; i += 1) {
      const record = page.jobs[i]!;
      lastScanned = record;
      if (scoped && !canSeeNode(query.principal, record.node_id)) continue;
      const view = toJobView(record);
      const size = Buffer.byteLength(JSON.stringify(view), 'utf8');
      if (jobs.length > 0 && bytes + size > query.maxBytes)
        return { jobs, next_cursor: cursorAt(lastShown!) };
      jobs.push(view);
      bytes += size;
      lastShown = record;
      if (jobs.length === wanted) {
        const more = i < page.jobs.length - 1 || page.next_cursor !== null;
        return { jobs, next_cursor: more ? cursorAt(record) : null };
      }
    }
    if (page.next_cursor === null) return { jobs, next_cursor: null };
    cursor = page.next_cursor;
  }
  // Scanned MAX_SCANS store pages without filling the page: go on from the last job shown, or
  // (none shown) from the millisecond of the last job scanned, whose id is not the caller's to see.
  if (lastShown) return { jobs, next_cursor: cursorAt(lastShown) };
  const from = query.cursor === undefined ? undefined : decodeCursor(query.cursor).createdMs;
  const createdMs = Date.parse(lastScanned!.created_at);
  return {
    jobs,
    next_cursor:
      createdMs !== from ? encodeCursor({ createdMs, commandId: AFTER_EVERY_ID }) : (cursor ?? null),
  };
}

function cursorAt(record: JobRecord): string {
  return encodeCursor({ createdMs: Date.parse(record.created_at), commandId: record.command_id });
}
