import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isOpenClawError, OPENCLAW_VERSION, type ExecAck } from '@openclaw-node/core';
import { createAgent, resolveAgentConfig, type Agent } from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';
import { startTestServer, type TestServer } from './test-server.js';

const TOKEN = 'good-token-0123456789';
let servers: TestServer[] = [];
let agents: Agent[] = [];
let logLines: string[] = [];

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await Promise.all(servers.map((server) => server.close()));
  agents = [];
  servers = [];
  logLines = [];
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer({ token: TOKEN, ...options });
  servers.push(s);
  return s;
}

function agent(url: string, overrides: Record<string, unknown> = {}): Agent {
  const config = resolveAgentConfig(
    {
      node_id: 'ws-042',
      server_url: url,
      auth_token: TOKEN,
      plugins: ['demo', 'winonly', 'nosuch'],
      allowed_paths: [os.tmpdir()],
      tags: ['comp', 'gpu'],
      ...overrides,
    },
    { env: {} },
  );
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const a = createAgent({
    config,
    logger: pino({ level: 'debug' }, sink),
    registry: testRegistry,
    platform: 'linux',
    backoff: { initialMs: 50, maxMs: 200 },
  });
  agents.push(a);
  a.start();
  return a;
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await later(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('agent connection', () => {
  it('connects with the handshake auth over websocket and registers with hello', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    expect(s.auths).toEqual([{ token: TOKEN, nodeId: 'ws-042', protocol: 1 }]);
    expect(s.sockets[0]!.conn.transport.name).toBe('websocket');
    const hello = s.hellos[0]!;
    expect(hello).toMatchObject({
      nodeId: 'ws-042',
      hostname: os.hostname(),
      platform: 'linux',
      arch: process.arch,
      agentVersion: OPENCLAW_VERSION,
      tags: ['comp', 'gpu'],
    });
    expect(hello.plugins.map((p) => p.name)).toEqual(['demo']);
    expect(hello.skipped).toEqual([
      {
        name: 'winonly',
        reason: 'supports windows only; this node runs linux',
        code: 'PLATFORM_UNSUPPORTED',
      },
      {
        name: 'nosuch',
        reason: expect.stringContaining('no plugin is named "nosuch"'),
        code: 'PLUGIN_NOT_FOUND',
      },
    ]);
  });

  it('tells the server in its hello the allowed_paths it honours on this OS', async () => {
    const s = await server();
    const projects = path.join(os.tmpdir(), 'projects');
    const a = agent(s.url, { allowed_paths: [os.tmpdir(), 'P:\\projects', projects] });
    await a.ready;
    expect(s.hellos[0]!.allowed_paths).toEqual([os.tmpdir(), projects]);
  });

  it('accepts a server_url without a path and uses the default /ws', async () => {
    const s = await server();
    const a = agent(`http://127.0.0.1:${s.port}`);
    await a.ready;
    expect(s.hellos).toHaveLength(1);
  });

  it('retries until the server comes up', async () => {
    const probe = await startTestServer();
    const port = probe.port;
    await probe.close();
    const a = agent(`ws://127.0.0.1:${port}/ws`);
    await later(300);
    const s = await server({ port });
    await a.ready;
    expect(s.hellos).toHaveLength(1);
  });

  it('re-registers by itself after the server restarts on the same port', async () => {
    const first = await server();
    const a = agent(first.url);
    await a.ready;
    await first.close();
    servers = servers.filter((s) => s !== first);
    const second = await server({ port: first.port });
    const { payload } = await second.helloNumber(1);
    expect(payload.nodeId).toBe('ws-042');
    expect(payload.plugins.map((p) => p.name)).toEqual(['demo']);
    await until(() => logLines.join('').includes('re-registered with the server'), 'the hello ack');
  });

  it('stops for good when the server rejects the token, saying why', async () => {
    const s = await server();
    const a = agent(s.url, { auth_token: 'wrong-token-value' });
    const stopped = await a.stopped;
    expect(stopped.code).toBe('AUTH_INVALID');
    expect(stopped.message).toContain('the server rejected the token: check auth_token');
    const readyError = await a.ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOpenClawError(readyError) && readyError.code).toBe('AUTH_INVALID');
    await later(400);
    expect(s.auths).toHaveLength(1);
  });

  it('stops and does not reconnect when another agent takes its node id', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    const socket = s.sockets[0]!;
    socket.emit('session:replaced', { reason: 'Another agent connected with the same node id' });
    socket.disconnect(true);
    const stopped = await a.stopped;
    expect(stopped.code).toBe('NODE_REPLACED');
    expect(stopped.message).toContain('another agent connected as node "ws-042"');
    await later(400);
    expect(s.auths).toHaveLength(1);
  });

  it('gives up when the server refuses a manifest', async () => {
    const s = await server({
      helloAck: () => ({
        ok: false,
        error: {
          code: 'MANIFEST_INVALID',
          message: 'plugin demo: manifest.actions.echo.params is bad',
          details: { plugin: 'demo' },
        },
      }),
    });
    const a = agent(s.url);
    const stopped = await a.stopped;
    expect(stopped).toEqual({
      code: 'MANIFEST_INVALID',
      message:
        'the server refused a plugin manifest: fix or remove that plugin (server said: plugin demo: manifest.actions.echo.params is bad)',
    });
  });

  it('retries a hello refused for a passing reason', async () => {
    let calls = 0;
    const s = await server({
      helloAck: () =>
        ++calls === 1
          ? { ok: false, error: { code: 'INTERNAL_ERROR', message: 'Internal error' } }
          : { ok: true, serverVersion: 'x' },
    });
    const a = agent(s.url);
    await a.ready;
    expect(s.hellos).toHaveLength(2);
  });

  it('executes an exec, reports progress and acks the result', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    const socket = s.sockets[0]!;
    const echo: ExecAck = await socket.timeout(5000).emitWithAck('exec', {
      jobId: 'j-echo',
      action: 'demo.echo',
      params: { message: 'hi' },
      timeoutMs: 5000,
    });
    expect(echo).toMatchObject({ ok: true, result: { message: 'hi', platform: 'linux' } });
    const chatty: ExecAck = await socket.timeout(5000).emitWithAck('exec', {
      jobId: 'j-chatty',
      action: 'demo.chatty',
      params: { steps: 20 },
      timeoutMs: 5000,
    });
    expect(chatty).toEqual({ ok: true, result: { steps: 20 } });
    const progress = s.progress.filter((e) => e.jobId === 'j-chatty' && e.progress !== undefined);
    expect(progress.at(-1)).toEqual({ jobId: 'j-chatty', progress: 1, message: 'overshoot is clamped' });
    expect(
      s.progress.some(
        (e) => e.jobId === 'j-chatty' && e.stream === 'log' && e.chunk?.includes('reached step 10'),
      ),
    ).toBe(true);
  });

  it('reports its job limits at hello, says in one job:accepted that a job started, sends job:started for a queued one, and answers NODE_BUSY when full', async () => {
    const s = await server();
    const a = agent(s.url, { max_concurrent_jobs: 1, max_queued_jobs: 1 });
    await a.ready;
    expect(s.hellos[0]!.limits).toEqual({ maxConcurrentJobs: 1, maxQueuedJobs: 1 });
    const socket = s.sockets[0]!;
    const seen: string[] = [];
    socket.on('job:accepted', (e) =>
      seen.push(`accepted ${e.jobId} queued=${e.queued} started=${e.started}`),
    );
    socket.on('job:started', (e) => seen.push(`started ${e.jobId}`));
    const run = (jobId: string, action: string): Promise<ExecAck> =>
      socket.timeout(5000).emitWithAck('exec', {
        jobId,
        action,
        params: action === 'demo.echo' ? { message: 'hi' } : {},
        timeoutMs: 60_000,
      });
    const slow = run('j-slow', 'demo.slow');
    await until(() => seen.length === 1, 'the slow job to start');
    const queued = run('j-queued', 'demo.echo');
    await until(() => seen.length === 2, 'the second job to queue');
    const busy = await run('j-busy', 'demo.echo');
    expect(busy).toMatchObject({ ok: false, error: { code: 'NODE_BUSY' } });
    socket.emit('job:cancel', { jobId: 'j-slow' });
    expect(await slow).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await queued).toMatchObject({ ok: true });
    expect(seen).toEqual([
      'accepted j-slow queued=false started=true',
      'accepted j-queued queued=true started=undefined',
      'started j-queued',
    ]);
  });

  it('acks errors for bad requests without crashing', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    const socket = s.sockets[0]!;
    const bad: ExecAck = await socket.timeout(5000).emitWithAck('exec', { jobId: 'x' } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_BODY' } });
    const outside: ExecAck = await socket.timeout(5000).emitWithAck('exec', {
      jobId: 'j-out',
      action: 'demo.open',
      params: { path: '/etc/passwd' },
      timeoutMs: 5000,
    });
    expect(outside).toMatchObject({
      ok: false,
      error: { code: 'PATH_NOT_ALLOWED', details: { field: 'params.path' } },
    });
    const ok: ExecAck = await socket.timeout(5000).emitWithAck('exec', {
      jobId: 'j-ok',
      action: 'demo.echo',
      params: { message: 'still alive' },
      timeoutMs: 5000,
    });
    expect(ok.ok).toBe(true);
  });

  it('cancels a job on job:cancel', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    const socket = s.sockets[0]!;
    const pending = socket
      .timeout(5000)
      .emitWithAck('exec', { jobId: 'j-slow', action: 'demo.slow', params: {}, timeoutMs: 60_000 });
    await later(100);
    socket.emit('job:cancel', { jobId: 'j-slow' });
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'the job was cancelled by the server' },
    });
  });

  it('acks running jobs CANCELLED on stop() and resolves stopped with a null code', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    const pending = s.sockets[0]!.timeout(5000).emitWithAck('exec', {
      jobId: 'j-stop',
      action: 'demo.slow',
      params: {},
      timeoutMs: 60_000,
    });
    await later(100);
    await a.stop();
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'the agent is stopping' },
    });
    expect(await a.stopped).toEqual({ code: null, message: 'the agent was stopped' });
  });

  it('never writes the token to its logs', async () => {
    const s = await server();
    const a = agent(s.url);
    await a.ready;
    await a.stop();
    const bad = agent(s.url, { auth_token: 'another-secret-token' });
    await bad.stopped;
    const logs = logLines.join('');
    expect(logs).toContain('registered with the server');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain('another-secret-token');
  });
});
