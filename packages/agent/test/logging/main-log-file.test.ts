import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgentMain } from '../../src/index.js';
import { startTestServer, type TestServer } from '../connection/test-server.js';
import { testRegistry } from '../fixtures/test-plugins.js';

const TOKEN = 'log-file-test-token-9d2e';
let dir: string;
let server: TestServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-main-log-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function runUntilRegistered(args: string[], defaultLogFile?: string) {
  server = await startTestServer({ token: TOKEN });
  const file = path.join(dir, 'node_config.yaml');
  await writeFile(
    file,
    `node_id: ws-log\nserver_url: ${server.url}\nauth_token: ${TOKEN}\nplugins: [demo]\n`,
  );
  const controller = new AbortController();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = runAgentMain(['--config', file, ...args], {
    stdout: new PassThrough(),
    stderr,
    env: {},
    cwd: dir,
    registry: testRegistry,
    signal: controller.signal,
    ...(defaultLogFile ? { defaultLogFile } : {}),
  });
  await server.helloNumber(1);
  // The hello reached the server; wait for its ack to reach the agent.
  for (let i = 0; i < 400 && !err.includes('registered with the server'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  controller.abort();
  expect(await exit).toBe(0);
  return err;
}

describe('the agent log file', () => {
  it('is written where --log-file says, as JSON lines without the token', async () => {
    const logFile = path.join(dir, 'logs', 'agent.log');
    const stderr = await runUntilRegistered(['--log-file', logFile]);
    const text = await readFile(logFile, 'utf8');
    const messages = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('configuration loaded');
    expect(messages).toContain('registered with the server');
    expect(messages.at(-1)).toBe('agent stopped');
    expect(text).not.toContain(TOKEN);
    // Not a terminal: the same JSON lines go to stderr too (journald, pipes).
    expect(stderr).toContain('"msg":"registered with the server"');
  });

  it('goes to the default file the bin passes, unless --no-log-file', async () => {
    const fallback = path.join(dir, 'state', 'agent.log');
    await runUntilRegistered([], fallback);
    expect(await readFile(fallback, 'utf8')).toContain('registered with the server');
    await server?.close();
    server = undefined;
    const other = path.join(dir, 'other', 'agent.log');
    await runUntilRegistered(['--no-log-file'], other);
    await expect(access(other)).rejects.toThrow(/ENOENT/);
  });

  it('is described in --help', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await runAgentMain(['--help'], {
      stdout,
      stderr: new PassThrough(),
      env: {},
      defaultLogFile: '/home/ana/.local/state/openclaw-node/logs/agent.log',
    });
    expect(code).toBe(0);
    expect(out).toContain('--log-file <file>');
    expect(out).toContain('instead of /home/ana/.local/state/openclaw-node/logs/agent.log');
    expect(out).toContain('--no-log-file');
  });
});
