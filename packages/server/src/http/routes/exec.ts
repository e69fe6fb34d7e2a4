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
import { jsonBody } from '../middleware/json-body.js';
import { CallerGone } from '../../jobs/caller-signal.js';

/**
 * `POST /api/nodes/:id/exec` (one node: waits for the end unless `"wait": false`) and
 * `POST /api/exec` (fan-out: one job per matching node).
 */
export function execRoutes(
  router: Router<AppState>,
  deps: { dispatcher: Dispatcher; fanOut: FanOut; maxBodyBytes: number; bodyReadTimeoutMs: number },
): void {
  router.post(
    '/api/nodes/:id/exec',
    jsonBody({ limit: deps.maxBodyBytes, timeoutMs: deps.bodyReadTimeoutMs }),
    async (ctx) => {
      const key = principalScopedKey(
        parseIdempotencyKey(ctx.get(IDEMPOTENCY_HEADER) || undefined),
        ctx.state.principal,
      );
      const gone = new CallerGone();
      await whileConnected(ctx, gone, async () => {
        const answer = await deps.dispatcher.exec({
          nodeId: ctx.params.id!,
          body: ctx.state.body,
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
        const { status, body } = renderOutcome(answer.outcome);
        ctx.status = status;
        ctx.body = body;
      });
    },
  );

  router.post(
    '/api/exec',
    jsonBody({ limit: deps.maxBodyBytes, timeoutMs: deps.bodyReadTimeoutMs }),
    async (ctx) => {
      const key = principalScopedKey(
        parseIdempotencyKey(ctx.get(IDEMPOTENCY_HEADER) || undefined),
        ctx.state.principal,
      );
      const gone = new AbortController();
      await whileConnected(ctx, gone, async () => {
        const answer = await deps.fanOut.exec({
          body: ctx.state.body,
          signal: gone.signal,
          ...(ctx.state.clientAddress === undefined ? {} : { address: ctx.state.clientAddress }),
          ...(ctx.state.principal ? { principal: ctx.state.principal } : {}),
          ...(key === undefined ? {} : { idempotencyKey: key }),
        });
        if (answer.replay) ctx.set(REPLAY_HEADER, 'true');
        ctx.status = answer.waited ? 200 : 202;
        ctx.body = answer.response;
      });
    },
  );
}

/** Run `work`, aborting `gone` when the caller hangs up before the answer is written. */
async function whileConnected(
  ctx: AppContext,
  gone: { abort(reason: Error): void },
  work: () => Promise<void>,
): Promise<void> {
  const onClose = (): void => {
    if (!ctx.res.writableEnded) gone.abort(new Error('the caller went away'));
  };
  ctx.res.once('close', onClose);
  try {
    await work();
  } finally {
    ctx.res.off('close', onClose);
  }
}
