import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgentMain } from '../src/index.js';
import { startTestServer, type TestServer } from './connection/test-server.js';
import { testRegistry } from './fixtures/test-plugins.js';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'main-test-token';

let dir: string;
let servers: TestServer[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-agent-main-'));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await rm(dir, { recursive: true, force: true });
});

function io(signal?: AbortSignal) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    io: {
      stdout,
      stderr,
      env: { XDG_CONFIG_HOME: path.join(dir, 'xdg') },
      cwd: dir,
      registry: testRegistry,
      ...(signal ? { signal } : {}),
    },
    out: () => out,
    err: () => err,
  };
}

async function configFile(url: string, token = TOKEN, plugins = '[demo]'): Promise<string> {
  const file = path.join(dir, 'node_config.yaml');
  await writeFile(
    file,
    `node_id: ws-main\nserver_url: ${url}\nauth_token: ${token}\nplugins: ${plugins}\nallowed_paths: []\n`,
  );
  return file;
}

describe('runAgentMain', () => {
  it('prints help and the version', async () => {
    const help = io();
    expect(await runAgentMain(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('Usage: openclaw-agent [--config <file>]');
    expect(help.out()).toContain(path.join(dir, 'xdg', 'openclaw-node', 'node_config.yaml'));
    const version = io();
    expect(await runAgentMain(['-v'], version.io)).toBe(0);
    expect(version.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on unknown arguments', async () => {
    const run = io();
    expect(await runAgentMain(['--frobnicate'], run.io)).toBe(2);
    expect(run.err()).toContain("openclaw-agent: Unknown option '--frobnicate'");
  });

  it('exits 2 with one clear line for a bad config', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(file, 'server_url: pipeline:8765\nauth_token: t\n');
    const run = io();
    expect(await runAgentMain([], run.io)).toBe(2);
    expect(run.err()).toBe(
      `openclaw-agent: ${file}: server_url must be a ws://, wss://, http:// or https:// URL, e.g. ws://pipeline-server:8765/ws\n`,
    );
  });

  it('runs until asked to stop, then exits 0', async () => {
    const server = await startTestServer({ token: TOKEN });
    servers.push(server);
    const file = await configFile(server.url);
    const controller = new AbortController();
    const run = io(controller.signal);
    const exit = runAgentMain(['--config', file], run.io);
    const { payload } = await server.helloNumber(1);
    expect(payload.nodeId).toBe('ws-main');
    controller.abort();
    expect(await exit).toBe(0);
    expect(run.err()).toContain('"msg":"agent stopped"');
  });

  it('exits 3 when the server rejects the token, and 0 for that under launchd', async () => {
    const server = await startTestServer({ token: TOKEN });
    servers.push(server);
    const file = await configFile(server.url, 'not-the-token');
    const run = io();
    expect(await runAgentMain(['-c', file], run.io)).toBe(3);
    expect(run.err()).toContain(
      'openclaw-agent: the server rejected the token: check auth_token in node_config.yaml',
    );
    expect(run.err()).not.toContain('not-the-token');
    const launchd = io();
    launchd.io.env = { ...launchd.io.env, OPENCLAW_AGENT_SUPERVISOR: 'launchd' } as typeof launchd.io.env;
    expect(await runAgentMain(['-c', file], launchd.io)).toBe(0);
  });

  it('exits 4 when another agent takes over its node id', async () => {
    const server = await startTestServer({ token: TOKEN });
    servers.push(server);
    const file = await configFile(server.url);
    const run = io();
    const exit = runAgentMain(['-c', file], run.io);
    const { socket } = await server.helloNumber(1);
    socket.emit('session:replaced', { reason: 'Another agent connected with the same node id' });
    socket.disconnect(true);
    expect(await exit).toBe(4);
    expect(run.err()).toContain('give each workstation its own node_id');
  });
});

describe('openclaw-agent bin (real process)', () => {
  const node = (args: string[]) =>
    spawn(process.execPath, ['--conditions=@openclaw-node/source', '--import', 'tsx', BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, OPENCLAW_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('registers, and exits 0 on SIGTERM after a clean stop', async () => {
    const server = await startTestServer({ token: TOKEN });
    servers.push(server);
    const file = await configFile(server.url, TOKEN, '[]');
    // The log goes to the temp folder: the bin's default is the tester's own ~/.local/state.
    const child = node(['--config', file, '--log-file', path.join(dir, 'agent.log')]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const { payload } = await server.helloNumber(1);
      expect(payload).toMatchObject({ nodeId: 'ws-main', plugins: [], skipped: [] });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('agent stopped');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
