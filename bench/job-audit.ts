import type { JobsResponse } from '@openclaw-node/core';
import { HttpClient } from './http-client.js';

/** Every state a job can end in other than success, and the two it passes through. */
const UNHAPPY = ['queued', 'running', 'failed', 'timed_out', 'cancelled', 'lost', 'expired'] as const;
const PAGES = 20;

/** Jobs per state, for the states that should be empty after a clean run (`"500+"` style caps aside). */
export type JobAudit = Record<(typeof UNHAPPY)[number], number>;

/**
 * Count the jobs that did not succeed, through `GET /api/jobs?state=…` (so the store's own view, as
 * any client sees it). After every exec answered, none should be queued or running (stuck) or lost.
 */
export async function auditJobs(base: string, token: string): Promise<JobAudit> {
  const client = new HttpClient(base, { token, maxSockets: 1 });
  try {
    const audit = Object.fromEntries(UNHAPPY.map((s) => [s, 0])) as JobAudit;
    for (const state of UNHAPPY) {
      let cursor: string | null = null;
      for (let page = 0; page < PAGES; page++) {
        const query = `/api/jobs?state=${state}&limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const body = JSON.parse((await client.ok(query)).body.toString()) as JobsResponse;
        audit[state] += body.count;
        cursor = body.next_cursor;
        if (cursor === null) break;
      }
    }
    return audit;
  } finally {
    client.close();
  }
}

/** "none", or "failed 3, lost 1". */
export function describeAudit(audit: JobAudit): string {
  const parts = Object.entries(audit)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${state} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}
