import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import type { Dispatcher } from '../dispatcher.js';
import { toErrorBody } from '../middleware/error-handler.js';
import { jsonBody } from '../middleware/json-body.js';

/** `POST /api/nodes/:id/exec`: run one action and answer when the node does. */
export function execRoutes(
  router: Router<AppState>,
  deps: { dispatcher: Dispatcher; maxBodyBytes: number },
): void {
  router.post('/api/nodes/:id/exec', jsonBody({ limit: deps.maxBodyBytes }), async (ctx) => {
    const gone = new AbortController();
    // 'close' before the answer was written means the caller hung up: cancel the job on the node.
    const onClose = (): void => {
      if (!ctx.res.writableEnded) gone.abort();
    };
    ctx.res.once('close', onClose);
    try {
      const outcome = await deps.dispatcher.exec({
        nodeId: ctx.params.id!,
        body: ctx.state.body,
        signal: gone.signal,
        ...(ctx.state.principal ? { principal: ctx.state.principal } : {}),
      });
      if (outcome.ok) {
        ctx.body = outcome.response;
      } else {
        ctx.status = outcome.error.status;
        ctx.body = toErrorBody(outcome.error, outcome.commandId);
      }
    } finally {
      ctx.res.off('close', onClose);
    }
  });
}
