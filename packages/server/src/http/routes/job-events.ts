import { OpenClawError } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import type { AppContext, AppState } from '../app-state.js';
import { principalKey } from '../../security/auth/auth-provider.js';
import { assertCanSeeNode } from '../../security/auth/permissions.js';
import type { SecurityLimits } from '../../security/security-options.js';
import { JobEventStream } from '../../jobs/job-event-stream.js';
import type { JobStore } from '../../jobs/index.js';
import { jobNotFound } from './jobs.js';

/** An open event stream: a job's, or the live fleet stream. */
export interface ClosableStream {
  close(): void;
  onClose(listener: () => void): void;
}

/** The open event streams, so a closing server can end them instead of waiting for them. */
export class EventStreams {
  readonly #open = new Set<ClosableStream>();
  readonly #perKey = new Map<string, number>();

  /**
   * Count a stream against its token and its client address; STREAM_LIMIT (429) when either is at
   * its limit. Returns the release to call once the stream closes.
   */
  admit(
    owner: { token?: string; address?: string },
    limits: { perToken: number; perAddress: number },
  ): () => void {
    const keys: [string, number, string][] = [];
    if (owner.token !== undefined)
      keys.push([`token:${owner.token}`, limits.perToken, 'eventStreamsPerToken']);
    if (owner.address !== undefined)
      keys.push([`address:${owner.address}`, limits.perAddress, 'eventStreamsPerAddress']);
    for (const [key, limit, name] of keys) {
      if ((this.#perKey.get(key) ?? 0) >= limit) {
        throw new OpenClawError(
          'STREAM_LIMIT',
          `${limit} job event streams are already open for this ${key.startsWith('token:') ? 'token' : 'address'} (limits.${name}); close one first`,
          { details: { limit, limit_name: name } },
        );
      }
    }
    for (const [key] of keys) this.#perKey.set(key, (this.#perKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of keys) {
        const left = (this.#perKey.get(key) ?? 1) - 1;
        if (left <= 0) this.#perKey.delete(key);
        else this.#perKey.set(key, left);
      }
    };
  }

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
  deps: {
    store: JobStore;
    streams: EventStreams;
    heartbeatMs: number;
    logger: Logger;
    limits: Pick<SecurityLimits, 'eventStreamsPerToken' | 'eventStreamsPerAddress' | 'eventStreamIdleMs'>;
  },
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
    const release = admitStream(ctx, deps.streams, deps.limits);
    const stream = new JobEventStream({
      store: deps.store,
      commandId,
      after,
      heartbeatMs: deps.heartbeatMs,
      idleMs: deps.limits.eventStreamIdleMs,
      logger: deps.logger,
    });
    serveEventStream(ctx, stream, deps.streams, release);
  });
}

/** Count a new stream against the caller's token and address (STREAM_LIMIT); returns its release. */
export function admitStream(
  ctx: AppContext,
  streams: EventStreams,
  limits: Pick<SecurityLimits, 'eventStreamsPerToken' | 'eventStreamsPerAddress'>,
): () => void {
  const { principal, clientAddress } = ctx.state;
  return streams.admit(
    {
      ...(principal ? { token: principalKey(principal) } : {}),
      ...(clientAddress === undefined ? {} : { address: clientAddress }),
    },
    { perToken: limits.eventStreamsPerToken, perAddress: limits.eventStreamsPerAddress },
  );
}

/** Answer the request with `stream` as Server-Sent Events, until either side closes. */
export function serveEventStream(
  ctx: AppContext,
  stream: ClosableStream & { body: Readable; start(): void },
  streams: EventStreams,
  release: () => void,
): void {
  stream.onClose(release);
  streams.add(stream);
  // The socket's own idle timeout would cut a quiet stream between heartbeats; the stream has its own.
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
