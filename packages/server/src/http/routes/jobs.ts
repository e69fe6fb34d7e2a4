import { OpenClawError, type JobsResponse } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import { assertCanExec, assertCanSeeNode } from '../../security/auth/permissions.js';
import type { Dispatcher } from '../../jobs/dispatcher.js';
import { toJobView } from '../../jobs/job-views.js';
import { visibleJobPage } from './job-page.js';
import { JOB_STATES, isJobState, type JobFilter, type JobState, type JobStore } from '../../jobs/index.js';

const FILTERS = {
  node: 'node_id',
  action: 'action',
  batch: 'batch_id',
  requested_by: 'requested_by',
} as const;
const KNOWN = new Set([...Object.keys(FILTERS), 'state', 'limit', 'cursor']);

/** `GET /api/jobs`, `GET /api/jobs/:id` and `POST /api/jobs/:id/cancel`. */
export function jobRoutes(
  router: Router<AppState>,
  deps: { store: JobStore; dispatcher: Dispatcher; maxPageBytes: number },
): void {
  router.get('/api/jobs', async (ctx) => {
    const query = ctx.query;
    for (const name of Object.keys(query)) {
      if (!KNOWN.has(name)) {
        throw new OpenClawError(
          'INVALID_BODY',
          `Unknown query parameter "${name}"; GET /api/jobs takes node, state, action, batch, requested_by, limit and cursor`,
          { details: { field: `query.${name}` } },
        );
      }
    }
    const filter: JobFilter = {};
    for (const [name, field] of Object.entries(FILTERS)) {
      const value = single(query[name], name);
      if (value !== undefined) filter[field] = value;
    }
    if (filter.node_id !== undefined) assertCanSeeNode(ctx.state.principal, filter.node_id);
    const states = list(query.state);
    if (states.length > 0) filter.state = states.map(checkState);
    const limitText = single(query.limit, 'limit');
    const cursor = single(query.cursor, 'cursor');
    let limit: number | undefined;
    if (limitText !== undefined) {
      limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1) {
        throw new OpenClawError(
          'INVALID_BODY',
          `limit must be a whole number from 1 to 500, got "${limitText}"`,
          {
            details: { field: 'query.limit' },
          },
        );
      }
    }
    // A node-scoped token sees its nodes' jobs only; the page stops early at maxPageBytes.
    const page = await visibleJobPage(deps.store, {
      filter,
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit }),
      ...(ctx.state.principal ? { principal: ctx.state.principal } : {}),
      maxBytes: deps.maxPageBytes,
    });
    const body: JobsResponse = { jobs: page.jobs, count: page.jobs.length, next_cursor: page.next_cursor };
    ctx.body = body;
  });

  router.get('/api/jobs/:id', async (ctx) => {
    const id = ctx.params.id!;
    const record = await deps.store.get(id);
    if (!record) throw jobNotFound(id);
    assertCanSeeNode(ctx.state.principal, record.node_id);
    ctx.body = toJobView(record);
  });

  router.post('/api/jobs/:id/cancel', async (ctx) => {
    const job = await deps.store.get(ctx.params.id!);
    if (job) assertCanExec(ctx.state.principal, job.node_id, job.action);
    const { record, ended } = await deps.dispatcher.cancel(ctx.params.id!, ctx.state.principal?.name);
    // 202: the node was told and has not answered yet; the job ends when it does.
    ctx.status = ended ? 200 : 202;
    ctx.body = toJobView(record);
  });
}

/** JOB_NOT_FOUND (404) naming the id. */
export function jobNotFound(id: string): OpenClawError {
  return new OpenClawError('JOB_NOT_FOUND', `No job has command_id ${id} (it may have been purged)`, {
    details: { command_id: id },
  });
}

function single(value: string | string[] | undefined, name: string): string | undefined {
  if (Array.isArray(value)) {
    throw new OpenClawError('INVALID_BODY', `${name} may be given once`, {
      details: { field: `query.${name}` },
    });
  }
  return value === undefined || value === '' ? undefined : value;
}

function list(value: string | string[] | undefined): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function checkState(value: string): JobState {
  if (isJobState(value)) return value;
  throw new OpenClawError(
    'INVALID_BODY',
    `state must be one of ${JOB_STATES.join(', ')} (comma-separated for several), got "${value}"`,
    { details: { field: 'query.state' } },
  );
}
