import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { repoRoot } from '../e2e/harness.js';

// examples/python-agent/agent.py, a python-socketio agent written from docs/protocol.md, against a
// real server: registration, exec, progress, cancel, and a graceful server restart.

/** Parsed JSON as the assertions read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const AGENT_TOKEN = 'python-agent-token-6b1f';
const TOKEN = 'python-operator-token-0c4e';
const NODE = 'py-agent-01';
const script = path.join(repoRoot, 'examples/python-agent/agent.py');

/** The first interpreter that can import socketio (PATH's python3 may be pyenv's without it). */
function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import socketio, websocket'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

const python = findPython();
const required = process.env.OPENCLAW_REQUIRE_PYTHON_AGENT === '1';
if (!python && !required) {
  console.warn(
    'SKIPPED examples/python-agent: no python3 with python-socketio and websocket-client ' +
      '(apt-get install python3-socketio python3-websocket); set OPENCLAW_REQUIRE_PYTHON_AGENT=1 to fail instead',
  );
}

let server: OpenClawServer;
let url = '';
let port = 0;
let agent: ChildProcess | undefined;
let agentLog = '';

async function startServer(atPort: number): Promise<void> {
  server = createServer({
    host: '127.0.0.1',
    port: atPort,
    tokens: [
      { name: 'agent', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'operator', token: TOKEN, roles: ['operator'] },
    ],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  ({ url, port } = await server.listen());
}

async function call(route: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url + route, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; agent log:\n${agentLog}`);
}

const nodeListed = () =>
  until('the python agent to register', async () => {
    const { body } = await call('/api/nodes');
    return (body.nodes as { node_id: string }[]).some((n) => n.node_id === NODE) ? true : undefined;
  });

describe.skipIf(!python && !required)('examples/python-agent', () => {
  beforeAll(async () => {
    if (!python) throw new Error('OPENCLAW_REQUIRE_PYTHON_AGENT=1 but no python3 can import socketio');
    await startServer(0);
    agent = spawn(python, [script], {
      env: {
        PATH: process.env.PATH ?? '',
        OPENCLAW_SERVER_URL: url,
        OPENCLAW_AGENT_TOKEN: AGENT_TOKEN,
        OPENCLAW_NODE_ID: NODE,
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
  }, 30_000);

  afterAll(async () => {
    agent?.kill('SIGTERM');
    await server?.close();
  });

  it('registers with its manifest', async () => {
    await nodeListed();
    const { body } = await call(`/api/nodes/${NODE}`);
    expect(body.plugins).toEqual(['pyexample']);
    expect(body.manifests[0].actions.count.params.required).toEqual(['steps']);
  }, 30_000);

  it('runs an action, and refuses bad params with the field', async () => {
    const ok = await call(`/api/nodes/${NODE}/exec`, { action: 'pyexample.echo', params: { text: 'hello' } });
    expect(ok.status).toBe(200);
    expect(ok.body.result).toEqual({ text: 'hello' });
    const bad = await call(`/api/nodes/${NODE}/exec`, { action: 'pyexample.echo', params: { txt: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PARAMS');
  }, 30_000);

  it('reports progress', async () => {
    const done = await call(`/api/nodes/${NODE}/exec`, {
      action: 'pyexample.count',
      params: { steps: 4, delay_s: 0.02 },
    });
    expect(done.status).toBe(200);
    expect(done.body.result).toEqual({ counted: 4 });
    const job = await call(`/api/jobs/${done.body.command_id}`);
    expect(job.body.progress).toBe(1);
    expect(job.body.message).toBe('step 4 of 4');
  }, 30_000);

  it('stops a job on cancel and acks CANCELLED', async () => {
    const started = await call(`/api/nodes/${NODE}/exec`, {
      action: 'pyexample.count',
      params: { steps: 1000, delay_s: 0.1 },
      wait: false,
    });
    expect(started.status).toBe(202);
    const id = started.body.command_id as string;
    await until('progress', async () =>
      (await call(`/api/jobs/${id}`)).body.progress > 0 ? true : undefined,
    );
    const cancel = await call(`/api/jobs/${id}/cancel`, {});
    expect([200, 202]).toContain(cancel.status);
    const ended = await until<Json>('the cancelled job', async () => {
      const { body } = await call(`/api/jobs/${id}`);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return
      return body.state === 'cancelled' ? body : undefined;
    });
    expect(ended.error.code).toBe('CANCELLED');
    expect(ended.progress).toBeLessThan(1);
  }, 30_000);

  it('comes back after a graceful server restart (its own reconnect loop)', async () => {
    await server.close();
    await startServer(port);
    await nodeListed();
    const ok = await call(`/api/nodes/${NODE}/exec`, { action: 'pyexample.echo', params: { text: 'again' } });
    expect(ok.body.result).toEqual({ text: 'again' });
    expect(agent!.exitCode).toBeNull();
  }, 60_000);
});
