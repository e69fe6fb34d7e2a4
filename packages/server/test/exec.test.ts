import { request as httpRequest } from 'node:http';
import type { NodeDetail } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  api,
  exec,
  TOKEN,
  waitFor,
  windowsOnlyManifest,
  type Json,
} from '@openclaw-node/test-support/server';
import { useTestServer } from './helpers/server.js';

const t = useTestServer();
const agent = t.agent;

/** A raw HTTP request, for bodies fetch will not send (declared lengths, chunked streams). */
function rawPost(
  url: string,
  path: string,
  options: { headers: Record<string, string>; chunks: Buffer[] },
): Promise<{ status: number; body: Json; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...options.headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: JSON.parse(text), connection: res.headers.connection }),
        );
      },
    );
    // The server may close while we are still sending: that is the point.
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    for (const chunk of options.chunks) req.write(chunk);
    req.end();
  });
}

describe('POST /api/nodes/:id/exec: success', () => {
  it('sends exec to the node and answers with its result', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const { status, body } = await exec(t.url, 'ws-001', {
      action: 'tools.open_folder',
      params: { path: '/show/sh010' },
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'success',
      command_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      node_id: 'ws-001',
      action: 'tools.open_folder',
      result: { echo: { path: '/show/sh010' } },
      duration_ms: expect.any(Number),
      links: {
        self: `/api/jobs/${body.command_id}`,
        events: `/api/jobs/${body.command_id}/events`,
        cancel: `/api/jobs/${body.command_id}/cancel`,
      },
    });
    expect(a.execs).toEqual([
      {
        jobId: body.command_id,
        action: 'tools.open_folder',
        params: { path: '/show/sh010' },
        timeoutMs: 30_000,
      },
    ]);
  });

  it('treats a missing result as null and omitted params as {}', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', onExec: () => ({ ok: true }) as never });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping' });
    expect(status).toBe(200);
    expect(body.result).toBeNull();
    expect(a.execs[0]!.params).toEqual({});
  });

  it('reads null params and timeout as not given (Python None)', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const { status } = await exec(t.url, 'ws-001', { action: 'tools.ping', params: null, timeout: null });
    expect(status).toBe(200);
    expect(a.execs[0]).toMatchObject({ params: {}, timeoutMs: 30_000 });
  });

  it('fills schema defaults before sending', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    await exec(t.url, 'ws-001', { action: 'tools.render', params: { script: '/show/a.nk' } });
    expect(a.execs[0]!.params).toEqual({ script: '/show/a.nk', threads: 4 });
  });

  it.each([
    ['the request timeout', { timeout: 12 }, 12_000],
    ['the manifest timeout', {}, 5_000],
    ['the cap when the request asks for more', { timeout: 99_999 }, 3_600_000],
  ])('uses %s', async (_label, extra, timeoutMs) => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    await exec(t.url, 'ws-001', { action: 'tools.render', params: { script: '/show/a.nk' }, ...extra });
    expect(a.execs[0]!.timeoutMs).toBe(timeoutMs);
  });

  it('uses defaultTimeoutS when neither request nor manifest gives one', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    await exec(t.url, 'ws-001', { action: 'tools.ping' });
    expect(a.execs[0]!.timeoutMs).toBe(30_000);
  });
});

describe('POST /api/nodes/:id/exec: rejected before anything is sent', () => {
  it.each([
    ['a missing param', { action: 'tools.open_folder', params: {} }, 'INVALID_PARAMS', 'params.path'],
    [
      'a relative path',
      { action: 'tools.open_folder', params: { path: 'sh010' } },
      'INVALID_PARAMS',
      'params.path',
    ],
    [
      'an option-like path',
      { action: 'tools.open_folder', params: { path: '--help' } },
      'INVALID_PARAMS',
      'params.path',
    ],
    ['an unknown param', { action: 'tools.ping', params: { x: 1 } }, 'INVALID_PARAMS', 'params.x'],
    [
      'a wrong param type',
      { action: 'tools.render', params: { script: '/a.nk', threads: 'many' } },
      'INVALID_PARAMS',
      'params.threads',
    ],
    [
      'an array item of the wrong type',
      { action: 'tools.render', params: { script: '/a.nk', frames: [1, 'x'] } },
      'INVALID_PARAMS',
      'params.frames[1]',
    ],
    ['a malformed action id', { action: 'open_folder' }, 'INVALID_ACTION_ID', 'action'],
    ['a missing action', { params: {} }, 'INVALID_BODY', 'body.action'],
    ['params that are not an object', { action: 'tools.ping', params: [] }, 'INVALID_BODY', 'body.params'],
    ['a negative timeout', { action: 'tools.ping', timeout: -1 }, 'INVALID_BODY', 'body.timeout'],
    ['an unknown body field', { action: 'tools.ping', parms: {} }, 'INVALID_BODY', 'body.parms'],
    ['a body that is not an object', ['tools.ping'], 'INVALID_BODY', 'body'],
  ])('answers 400 for %s, naming the field', async (_label, body, code, field) => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const response = await exec(t.url, 'ws-001', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      status: 'error',
      error: { code, details: expect.objectContaining({ field }) },
    });
    expect(response.body.command_id).toBeUndefined();
    expect(a.execs).toHaveLength(0);
  });

  it.each([
    ['node', 'ws-999', 'tools.ping', 'NODE_NOT_FOUND'],
    ['plugin', 'ws-001', 'houdini.open', 'PLUGIN_NOT_FOUND'],
    ['action', 'ws-001', 'tools.delete_everything', 'ACTION_NOT_FOUND'],
  ])('answers 404 for an unknown %s', async (_label, node, action, code) => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const { status, body } = await exec(t.url, node, { action, params: {} });
    expect(status).toBe(404);
    expect(body.error.code).toBe(code);
    expect(a.execs).toHaveLength(0);
  });

  it('answers 404 PLUGIN_NOT_FOUND with the reason for a plugin skipped for another reason', async () => {
    await agent(t.url, {
      nodeId: 'ws-001',
      hello: { skipped: [{ name: 'rv', reason: 'failed to import: SyntaxError' }] },
    });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'rv.open_sources' });
    expect(status).toBe(404);
    expect(body.error).toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
      message: expect.stringContaining('SyntaxError'),
    });
  });

  it('answers 409 PLATFORM_UNSUPPORTED for a plugin the node skipped for its platform', async () => {
    await agent(t.url, {
      nodeId: 'ws-001',
      hello: {
        skipped: [{ name: 'resolve', reason: 'supports windows, darwin only; this node runs linux' }],
      },
    });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'resolve.ping' });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({
      code: 'PLATFORM_UNSUPPORTED',
      details: { plugin: 'resolve', platform: 'linux' },
    });
  });

  it("tells a platform skip from another by the skipped entry's code, whatever its wording", async () => {
    await agent(t.url, {
      nodeId: 'ws-001',
      hello: {
        skipped: [
          { name: 'farm', reason: 'Le module ne tourne pas ici', code: 'PLATFORM_UNSUPPORTED' },
          { name: 'broken', reason: 'does not support being imported twice', code: 'PLUGIN_LOAD_FAILED' },
        ],
      },
    });
    const farm = await exec(t.url, 'ws-001', { action: 'farm.submit' });
    expect(farm.status).toBe(409);
    expect(farm.body.error).toMatchObject({ code: 'PLATFORM_UNSUPPORTED', details: { plugin: 'farm' } });
    // The wording mentions "support", which an older agent's entry would be judged by: the code wins.
    const broken = await exec(t.url, 'ws-001', { action: 'broken.run' });
    expect(broken.status).toBe(404);
    expect(broken.body.error).toMatchObject({ code: 'PLUGIN_NOT_FOUND', details: { plugin: 'broken' } });
    const node = await api(t.url, '/api/nodes/ws-001');
    expect(node.body.skipped_plugins[0]).toEqual({
      name: 'farm',
      reason: 'Le module ne tourne pas ici',
      code: 'PLATFORM_UNSUPPORTED',
    });
  });

  it('refuses a hello whose skipped code is not an UPPER_SNAKE code', async () => {
    const a = await agent(t.url, {
      nodeId: 'ws-001',
      hello: { skipped: [{ name: 'x', reason: 'r', code: '<b>bold</b>' }] },
    });
    expect(a.helloAck).toMatchObject({ ok: false, error: { code: 'INVALID_BODY' } });
  });

  it('answers 409 PLATFORM_UNSUPPORTED for a plugin other nodes have only for other platforms', async () => {
    await agent(t.url, { nodeId: 'ws-mac', hello: { platform: 'darwin', plugins: [windowsOnlyManifest()] } });
    await agent(t.url, { nodeId: 'ws-linux' });
    const { status, body } = await exec(t.url, 'ws-linux', { action: 'resolve.ping' });
    expect(status).toBe(409);
    expect(body.error.code).toBe('PLATFORM_UNSUPPORTED');
  });
});

describe('POST /api/nodes/:id/exec: request body', () => {
  it('answers 400 INVALID_JSON for malformed JSON', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const { status, body } = await api(t.url, '/api/nodes/ws-001/exec', { raw: '{"action": ' });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      status: 'error',
      error: { code: 'INVALID_JSON', details: { field: 'body' } },
    });
  });

  it('answers 400 INVALID_BODY for an empty body', async () => {
    const { status, body } = await api(t.url, '/api/nodes/ws-001/exec', { method: 'POST' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('INVALID_BODY');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const { status, body } = await api(t.url, '/api/nodes/ws-001/exec', {
      raw: 'action=tools.ping',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(status).toBe(415);
    expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/json with a charset', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const { status } = await api(t.url, '/api/nodes/ws-001/exec', {
      raw: '{"action":"tools.ping"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(status).toBe(200);
  });

  it('answers 413 for a declared length over the limit without reading the body, and closes the connection', async () => {
    const big = Buffer.alloc(1_100_000, 'a');
    const { status, body, connection } = await rawPost(t.url, '/api/nodes/ws-001/exec', {
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      chunks: [big],
    });
    expect(status).toBe(413);
    expect(body).toMatchObject({
      status: 'error',
      error: { code: 'BODY_TOO_LARGE', details: { limit: 1024 * 1024 } },
    });
    expect(connection).toBe('close');
  });

  it('answers 413 for a chunked body once it passes the limit', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 'a'));
    const { status, body } = await rawPost(t.url, '/api/nodes/ws-001/exec', {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks,
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 413 through fetch for a 1.1 MB JSON body', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    const { status, body } = await exec(t.url, 'ws-001', {
      action: 'tools.open_folder',
      params: { path: `/${'a'.repeat(1_100_000)}` },
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe('BODY_TOO_LARGE');
  });

  it('checks the token before reading the body', async () => {
    const { status } = await api(t.url, '/api/nodes/ws-001/exec', { token: null, raw: '{not json' });
    expect(status).toBe(401);
  });
});

describe('POST /api/nodes/:id/exec: the node answers with an error', () => {
  it.each([
    ['PATH_NOT_FOUND', 422, 'error'],
    ['SHOT_LOCKED', 422, 'error'],
    ['PATH_NOT_ALLOWED', 403, 'error'],
    ['TIMEOUT', 504, 'timeout'],
    ['CANCELLED', 409, 'error'],
  ])('answers %s with HTTP %i and status "%s"', async (code, httpStatus, status) => {
    await agent(t.url, {
      nodeId: 'ws-001',
      onExec: () => ({
        ok: false,
        error: { code, message: `it went ${code}`, details: { field: 'params.path' } },
      }),
    });
    const response = await exec(t.url, 'ws-001', {
      action: 'tools.open_folder',
      params: { path: '/show/x' },
    });
    expect(response.status).toBe(httpStatus);
    expect(response.body).toEqual({
      status,
      error: { code, message: `it went ${code}`, details: { field: 'params.path' } },
      command_id: expect.any(String),
      links: expect.objectContaining({ self: `/api/jobs/${response.body.command_id}` }),
    });
  });

  it.each([
    ['a string', 'done'],
    ['an error without a code', { ok: false, error: { message: 'x' } }],
    ['an error with a malformed code', { ok: false, error: { code: 'not a code', message: 'x' } }],
    ['no ok flag', { result: 1 }],
  ])('answers 502 NODE_PROTOCOL_ERROR for a malformed ack (%s)', async (_label, ack) => {
    await agent(t.url, { nodeId: 'ws-001', onExec: () => ack as never });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping' });
    expect(status).toBe(502);
    expect(body.error.code).toBe('NODE_PROTOCOL_ERROR');
  });
});

describe('POST /api/nodes/:id/exec: the node does not answer', () => {
  it('answers 504 NODE_TIMEOUT with status "timeout" when no ack comes, and cancels the job', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 0.2 });
    expect(status).toBe(504);
    expect(body).toMatchObject({
      status: 'timeout',
      error: { code: 'NODE_TIMEOUT' },
      command_id: expect.any(String),
    });
    await waitFor(() => (a.cancels.length ? true : undefined), 'job:cancel');
    expect(a.cancels).toEqual([{ jobId: body.command_id }]);
  });

  it('answers 502 NODE_DISCONNECTED at once when the node disconnects mid-job', async () => {
    const a = await agent(t.url, {
      nodeId: 'ws-001',
      onExec: (_request, self) => (setTimeout(() => self.close(), 50), 'never'),
    });
    const { status, body } = await exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 600 });
    expect(status).toBe(502);
    expect(body).toMatchObject({
      status: 'error',
      error: { code: 'NODE_DISCONNECTED' },
      command_id: a.execs[0]!.jobId,
    });
    expect((await api(t.url, '/api/health')).body.pending_commands).toBe(0);
  });

  it('sends job:cancel when the HTTP caller goes away', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const caller = new AbortController();
    const pending = exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 600 }, { signal: caller.signal });
    await waitFor(() => (a.execs.length ? true : undefined), 'exec to arrive');
    caller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => (a.cancels.length ? true : undefined), 'job:cancel');
    expect(a.cancels).toEqual([{ jobId: a.execs[0]!.jobId }]);
    expect((await api(t.url, '/api/health')).body.pending_commands).toBe(0);
  });

  it('shows a running job with its progress in the node detail, and ignores progress for jobs the node was not given', async () => {
    const other = await agent(t.url, { nodeId: 'ws-other' });
    const a = await agent(t.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const pending = exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 600 });
    await waitFor(() => (a.execs.length ? true : undefined), 'exec to arrive');
    const jobId = a.execs[0]!.jobId;
    other.socket.emit('job:progress', { jobId, progress: 0.9, message: 'forged' });
    a.socket.emit('job:progress', { jobId, progress: 2 });
    a.socket.emit('job:progress', { jobId, progress: 0.5, message: 'frame 1050 of 1100' });
    const detail = await waitFor(async () => {
      const { body } = await api<NodeDetail>(t.url, '/api/nodes/ws-001');
      return body.pending_jobs[0]?.progress === 0.5 ? body : undefined;
    }, 'progress');
    expect(detail.pending_jobs).toEqual([
      {
        command_id: jobId,
        action: 'tools.ping',
        started_at: expect.any(String),
        progress: 0.5,
        message: 'frame 1050 of 1100',
      },
    ]);
    expect(detail.pending_commands).toBe(1);
    expect((await api(t.url, '/api/health')).body.pending_commands).toBe(1);
    a.close();
    expect((await pending).status).toBe(502);
  });

  it('fails pending jobs when the server closes', async () => {
    await agent(t.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const pending = exec(t.url, 'ws-001', { action: 'tools.ping', timeout: 600 });
    await waitFor(
      async () => ((await api(t.url, '/api/health')).body.pending_commands === 1 ? true : undefined),
      'job',
    );
    await t.close();
    const { status, body } = await pending;
    expect(status).toBe(502);
    expect(body.error.code).toBe('NODE_DISCONNECTED');
  });
});
