import { OpenClawError } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { AppState } from '../app-state.js';
import { assertCanSeeNode } from '../auth/permissions.js';
import { JobEventStream } from '../job-event-stream.js';
import type { JobStore } from '../jobs/index.js';
import { jobNotFound } from './jobs.js';

/** An open event stream: a job's, or the live fleet stream. */
export interface ClosableStream {
  close(): void;
  onClose(listener: () => void): void;
}

/** The open event streams, so a closing server can end them instead of waiting for them. */
export class EventStreams {
  readonly #open = new Set<ClosableStream>();

  add(stream: ClosableStream): void {
    this.#open.add(stream);
    stream.onClose(() => this.#open.delete(stream));
  }

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const stream of [...this.#open]) stream.close();
  }
}

/** `GET /api/jobs/:id/events`: Server-Sent Events (state, progress, log), resumable from Last-Event-ID. */
export function jobEventRoutes(
  router: Router<AppState>,
  deps: { store: JobStore; streams: EventStreams; heartbeatMs: number; logger: Logger },
): void {
  router.get('/api/jobs/:id/events', async (ctx) => {
    const commandId = ctx.params.id!;
    const header = ctx.get('last-event-id');
    const query = ctx.query.after;
    const after =
      header !== ''
        ? parseSeq(header, 'last-event-id')
        : typeof query === 'string' && query !== ''
          ? parseSeq(query, 'query.after')
          : 0;
    if (Array.isArray(query)) throw badSeq('query.after', query.join(','));
    const record = await deps.store.get(commandId);
    if (!record) throw jobNotFound(commandId);
    assertCanSeeNode(ctx.state.principal, record.node_id);
    const stream = new JobEventStream({
      store: deps.store,
      commandId,
      after,
      heartbeatMs: deps.heartbeatMs,
      logger: deps.logger,
    });
    deps.streams.add(stream);
    // No idle timeout on a stream that may stay quiet for an hour between heartbeats.
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream.body;
    ctx.req.once('close', () => stream.close());
    ctx.res.once('close', () => stream.close());
    stream.start();
  });
}

function parseSeq(text: string, field: string): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw badSeq(field, text);
  return value;
}

function badSeq(field: string, text: string): OpenClawError {
  return new OpenClawError(
    'INVALID_BODY',
    `${field} must be an event id (a whole number), got "${text.slice(0, 40)}"`,
    {
      details: { field },
    },
  );
}
