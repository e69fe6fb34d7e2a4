import type Router from '@koa/router';
import type { AppContext, AppState } from '../app-state.js';
import type { Dispatcher } from '../../jobs/dispatcher.js';
import type { FanOut } from '../../jobs/fan-out.js';
import {
  IDEMPOTENCY_HEADER,
  REPLAY_HEADER,
  parseIdempotencyKey,
  principalScopedKey,
} from '../../jobs/idempotency.js';
import { jobLinks, renderOutcome, toExecAccepted } from '../../jobs/job-views.js';
import { readJsonBody } from '../read-json-body.js';
import { CallerGone, CallerWentAway } from '../../jobs/caller-signal.js';

/**
 * `POST /api/nodes/:id/exec` (one node: waits for the end unless `"wait": false`) and
 * `POST /api/exec` (fan-out: one job per matching node).
 */
export function execRoutes(
  router: Router<AppState>,
  deps: { dispatcher: Dispatcher; fanOut: FanOut; maxBodyBytes: number; bodyReadTimeoutMs: number },
): void {
  const bodyOptions = { limit: deps.maxBodyBytes, timeoutMs: deps.bodyReadTimeoutMs };

  // One handler per route, no middleware before it: each layer is an async frame on every exec.
  router.post('/api/nodes/:id/exec', async (ctx) => {
    const body = await readJsonBody(ctx, bodyOptions);
    const key = idempotencyKeyOf(ctx);
    const gone = new CallerGone();
    const stop = abortWhenCallerGoes(ctx, gone);
    try {
      const answer = await deps.dispatcher.exec({
        nodeId: ctx.params.id!,
        body,
        signal: gone,
        ...(ctx.state.clientAddress === undefined ? {} : { address: ctx.state.clientAddress }),
        ...(ctx.state.principal ? { principal: ctx.state.principal } : {}),
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      if (answer.replay) ctx.set(REPLAY_HEADER, 'true');
      if (answer.kind === 'accepted') {
        ctx.status = 202;
        ctx.set('Location', jobLinks(answer.record.command_id).self);
        ctx.body = toExecAccepted(answer.record);
        return;
      }
      const { status, body: answerBody } = renderOutcome(answer.outcome);
      ctx.status = status;
      ctx.body = answerBody;
    } finally {
      stop();
    }
  });

  router.post('/api/exec', async (ctx) => {
    const body = await readJsonBody(ctx, bodyOptions);
    const key = idempotencyKeyOf(ctx);
    const gone = new AbortController();
    const stop = abortWhenCallerGoes(ctx, gone);
    try {
      const answer = await deps.fanOut.exec({
        body,
        signal: gone.signal,
        ...(ctx.state.clientAddress === undefined ? {} : { address: ctx.state.clientAddress }),
        ...(ctx.state.principal ? { principal: ctx.state.principal } : {}),
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      if (answer.replay) ctx.set(REPLAY_HEADER, 'true');
      ctx.status = answer.waited ? 200 : 202;
      ctx.body = answer.response;
    } finally {
      stop();
    }
  });
}

/** The request's Idempotency-Key (checked), scoped to its caller. */
function idempotencyKeyOf(ctx: AppContext): string | undefined {
  return principalScopedKey(
    parseIdempotencyKey(ctx.get(IDEMPOTENCY_HEADER) || undefined),
    ctx.state.principal,
  );
}

/** Abort `gone` when the caller hangs up before the answer is written; returns the undo. */
function abortWhenCallerGoes(ctx: AppContext, gone: { abort(reason: Error): void }): () => void {
  const onClose = (): void => {
    if (!ctx.res.writableEnded) gone.abort(new CallerWentAway());
  };
  ctx.res.once('close', onClose);
  return () => ctx.res.off('close', onClose);
}
