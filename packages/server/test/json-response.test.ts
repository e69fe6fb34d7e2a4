import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCachedJson, sendJsonBytes } from '../src/http/json-response.js';

const large = { nodes: Array.from({ length: 2000 }, (_, i) => ({ node_id: `ws-${i}`, status: 'online' })) };
const catalog = { plugins: [{ name: 'rv', nodes: large.nodes }], count: 1 };

let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Koa();
  app.use((ctx) => {
    if (ctx.path === '/large') sendJsonBytes(ctx, Buffer.from(JSON.stringify(large)));
    else if (ctx.path === '/small') sendJsonBytes(ctx, Buffer.from('{"ok":true}'));
    else sendCachedJson(ctx, catalog);
  });
  const handle = app.callback();
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw GET: status, headers and the bytes as sent (no transparent decompression). */
function get(path: string, encoding?: string) {
  return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: encoding ? { 'accept-encoding': encoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('sendJsonBytes', () => {
  it('gzips a large body for a client that accepts gzip', async () => {
    const r = await get('/large', 'gzip, deflate, br');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(r.body).toString())).toEqual(large);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(JSON.stringify(large)) / 4);
  });

  it('sends plain JSON to a client that does not ask for gzip', async () => {
    for (const encoding of [undefined, 'identity', 'br']) {
      const r = await get('/large', encoding);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(r.body.toString())).toEqual(large);
    }
  });

  it('sends a small body as it is', async () => {
    const r = await get('/small', 'gzip');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(r.body.toString())).toEqual({ ok: true });
  });
});

describe('sendCachedJson', () => {
  it('serves the same view with and without compression', async () => {
    const plain = await get('/catalog');
    const zipped = await get('/catalog', 'gzip');
    const again = await get('/catalog', 'gzip');
    expect(JSON.parse(plain.body.toString())).toEqual(catalog);
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(catalog);
    expect(again.body.equals(zipped.body)).toBe(true);
  });
});
