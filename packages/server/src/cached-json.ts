import type { Context } from 'koa';

const serialised = new WeakMap<object, Buffer>();

/**
 * Answer with a view that is never changed once built (the catalog, which is rebuilt as a new object
 * when nodes come and go): serialised once, however often it is served. At 10,000 nodes the catalog
 * is megabytes of JSON; serialising it per request would cost more than everything else the route does.
 */
export function sendCachedJson(ctx: Pick<Context, 'type' | 'body'>, view: object): void {
  let body = serialised.get(view);
  if (!body) serialised.set(view, (body = Buffer.from(JSON.stringify(view))));
  ctx.type = 'application/json';
  ctx.body = body;
}
