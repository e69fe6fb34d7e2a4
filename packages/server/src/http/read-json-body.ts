import type { IncomingMessage } from 'node:http';
import { OpenClawError } from '@openclaw-node/core';
import type { AppContext } from './app-state.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A body must arrive within this long after its headers unless told otherwise. */
const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * Read the request's JSON body into `ctx.state.body` and return it. Checks content type and declared
 * length before reading, and stops reading (closing the connection after the answer) as soon as the
 * body passes `limit`. A route calls it first thing (not a middleware: one async layer less per exec).
 */
export async function readJsonBody(
  ctx: AppContext,
  options: { limit: number; timeoutMs?: number },
): Promise<unknown> {
  const { limit, timeoutMs = DEFAULT_BODY_TIMEOUT_MS } = options;
  const declared = ctx.get('content-length');
  const chunked = ctx.get('transfer-encoding') !== '';
  if ((declared === '' || declared === '0') && !chunked) {
    throw new OpenClawError(
      'INVALID_BODY',
      'A JSON body is required, e.g. {"action": "explorer.ping", "params": {}}',
      {
        details: { field: 'body' },
      },
    );
  }
  if (!JSON_TYPE.test(ctx.get('content-type'))) {
    throw new OpenClawError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The request body must be JSON: send "Content-Type: application/json"',
      {
        details: { field: 'content-type' },
      },
    );
  }
  const encoding = ctx.get('content-encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new OpenClawError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not supported`, {
      details: { field: 'content-encoding' },
    });
  }
  if (declared !== '' && Number(declared) > limit) throw tooLarge(ctx, limit);
  const buffer = await readLimited(ctx, limit, timeoutMs);
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  try {
    ctx.state.body = JSON.parse(text) as unknown;
    return ctx.state.body;
  } catch (cause) {
    const reason = cause instanceof SyntaxError ? `: ${cause.message}` : '';
    throw new OpenClawError('INVALID_JSON', `The request body is not valid JSON${reason}`, {
      details: { field: 'body' },
    });
  }
}

function readLimited(ctx: AppContext, limit: number, timeoutMs: number): Promise<Buffer> {
  const req: IncomingMessage = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A body trickled in byte by byte would hold the connection (and its buffer) open for ever.
    const timer = setTimeout(() => {
      cleanup();
      req.pause();
      ctx.set('Connection', 'close');
      reject(
        new OpenClawError(
          'BODY_TIMEOUT',
          `The request body did not arrive within ${timeoutMs} ms (limits.bodyReadTimeoutMs)`,
          { details: { field: 'body', timeout_ms: timeoutMs, received_bytes: size } },
        ),
      );
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(ctx, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (): void => {
      cleanup();
      reject(new OpenClawError('INVALID_BODY', 'The request body was not received completely'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

function tooLarge(ctx: AppContext, limit: number): OpenClawError {
  // The rest of the body is never read: the connection closes once the answer is sent.
  ctx.set('Connection', 'close');
  return new OpenClawError('BODY_TOO_LARGE', `The request body is larger than ${limit} bytes`, {
    details: { field: 'body', limit },
  });
}
