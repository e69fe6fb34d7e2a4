import { gzipSync } from 'node:zlib';
import type { Context } from 'koa';

/** Smaller bodies go as they are: compressing them saves less than it costs. */
const GZIP_FROM_BYTES = 16 * 1024;

const viewBodies = new WeakMap<object, Buffer>();
const gzipped = new WeakMap<Buffer, Buffer>();

/**
 * Answer with JSON bytes, gzip-compressed when the client accepts it and the body is large: the node
 * list and the catalog are megabytes at 10,000 nodes, and at level 1 compressing them costs less than
 * writing the raw bytes to the socket while sending a twentieth of them (gzip rather than brotli: it
 * decodes twice as fast for the client). `reuse` keeps the compressed bytes with a body that is served
 * many times (the catalog, the node list within its second).
 */
export function sendJsonBytes(ctx: Context, body: Buffer, options: { reuse?: boolean } = {}): void {
  ctx.type = 'application/json';
  if (body.length < GZIP_FROM_BYTES) {
    ctx.body = body;
    return;
  }
  ctx.vary('Accept-Encoding');
  if (ctx.acceptsEncodings('gzip', 'identity') !== 'gzip') {
    ctx.body = body;
    return;
  }
  let compressed = options.reuse ? gzipped.get(body) : undefined;
  if (!compressed) {
    compressed = gzipSync(body, { level: 1 });
    if (options.reuse) gzipped.set(body, compressed);
  }
  ctx.set('Content-Encoding', 'gzip');
  ctx.body = compressed;
}

/**
 * Answer with a view that is never changed once built (the catalog, which is rebuilt as a new object
 * when nodes come and go): serialised, and compressed, once however often it is served.
 */
export function sendCachedJson(ctx: Context, view: object): void {
  let body = viewBodies.get(view);
  if (!body) viewBodies.set(view, (body = Buffer.from(JSON.stringify(view))));
  sendJsonBytes(ctx, body, { reuse: true });
}
