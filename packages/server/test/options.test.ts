import { isOpenClawError } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type OpenClawServer, type ServerOptions } from '../src/index.js';
import { TOKEN, api, memoryLogger, startServer } from '@openclaw-node/test-support/server';

function configError(options: ServerOptions): { code: string; message: string; field: unknown } {
  try {
    createServer(options);
  } catch (error) {
    if (isOpenClawError(error))
      return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected createServer to throw');
}

const opened: OpenClawServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('createServer options', () => {
  it('refuses to start without tokens, saying how to set one', () => {
    const error = configError({ tokens: [], logger: memoryLogger().logger });
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'tokens' });
    expect(error.message).toContain('OPENCLAW_NODE_TOKEN');
    expect(error.message).toContain('OPENCLAW_TOKENS');
    expect(error.message).toContain('OPENCLAW_TOKENS_FILE');
  });

  it.each([
    [{ port: 70000 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ maxBodyBytes: 0 }, 'maxBodyBytes'],
    [{ defaultTimeoutS: -1 }, 'defaultTimeoutS'],
    [{ socketPath: 'ws' }, 'socketPath'],
    [{ socketPath: '/api/ws' }, 'socketPath'],
    [{ tokens: [{ name: 'x', token: '' }] }, 'tokens[0].token'],
  ])('rejects %j naming the option', (change, field) => {
    expect(
      configError({ tokens: [{ name: 't', token: TOKEN }], logger: memoryLogger().logger, ...change }),
    ).toMatchObject({
      code: 'CONFIG_INVALID',
      field,
    });
  });

  it('names the job stores for an unknown one, and keeps redis for scale-out mode', () => {
    const logger = memoryLogger().logger;
    const tokens = [{ name: 't', token: TOKEN }];
    const unknown = configError({ tokens, logger, store: 'mongo' as never });
    expect(unknown).toMatchObject({ code: 'CONFIG_INVALID', field: 'store' });
    expect(unknown.message).toContain('must be sqlite, memory or redis');
    const redis = configError({ tokens, logger, store: 'redis' });
    expect(redis).toMatchObject({ code: 'CONFIG_INVALID', field: 'store' });
    expect(redis.message).toContain('--redis');
  });

  it('listens on a random port with port 0 and reports a loopback url', async () => {
    const server = createServer({
      host: '0.0.0.0',
      port: 0,
      tokens: [{ name: 't', token: TOKEN }],
      logger: memoryLogger().logger,
      store: 'memory',
    });
    opened.push(server);
    const { url, port, host } = await server.listen();
    expect(host).toBe('0.0.0.0');
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect((await api(url, '/api/health', { token: null })).status).toBe(200);
  });

  it('fails to listen on a port in use with PORT_IN_USE, naming the port', async () => {
    const first = await startServer();
    try {
      const second = createServer({
        host: '127.0.0.1',
        port: first.port,
        tokens: [{ name: 't', token: TOKEN }],
        logger: memoryLogger().logger,
        store: 'memory',
      });
      await expect(second.listen()).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        message: expect.stringContaining('EADDRINUSE'),
        details: { field: 'port', port: first.port },
      });
      await second.close();
    } finally {
      await first.close();
    }
  });

  it('closes twice and without ever listening', async () => {
    const server = createServer({
      port: 0,
      tokens: [{ name: 't', token: TOKEN }],
      logger: memoryLogger().logger,
      store: 'memory',
    });
    await server.close();
    await server.close();
    const t = await startServer();
    await Promise.all([t.close(), t.close()]);
    await expect(fetch(`${t.url}/api/health`)).rejects.toThrow();
  });

  it('serves Socket.IO on a custom path', async () => {
    const t = await startServer({ socketPath: '/sockets' });
    try {
      // Engine.IO answers on the custom path (refusing long-polling: agents speak WebSocket only).
      const response = await fetch(`${t.url}/sockets/?EIO=4&transport=polling`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: 'Transport unknown' });
      expect(
        (
          await fetch(`${t.url}/ws/?EIO=4&transport=polling`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).status,
      ).toBe(404);
    } finally {
      await t.close();
    }
  });
});
