import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pino } from 'pino';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent } from '@openclaw-node/agent';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { fakeToolsDir, freePort, readToolsLog, repoRoot } from '../e2e/harness.js';

// examples/rest/ run against a real server and a real agent (the explorer plugin, with the fake
// xdg-open of test/fixtures/fake-tools), so the examples cannot rot.

const AGENT_TOKEN = 'examples-agent-token-51c2';
const TOKEN = 'examples-operator-token-8d0e';
const NODE = 'ws-042';
const examples = path.join(repoRoot, 'examples/rest');

let tmp: string;
let show: string;
let toolsLog: string;
let server: OpenClawServer;
let agent: Agent;
let url: string;
const AGENT_ENV = ['PATH', 'DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'FAKE_TOOLS_LOG'] as const;
const savedEnv = Object.fromEntries(AGENT_ENV.map((key) => [key, process.env[key]]));

const env = (extra: Record<string, string> = {}) => ({
  OPENCLAW_SERVER: url,
  OPENCLAW_TOKEN: TOKEN,
  ...extra,
});

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-examples-')));
  show = path.join(tmp, 'show');
  await mkdir(path.join(show, 'sh010'), { recursive: true });
  toolsLog = path.join(tmp, 'tools.log');
  // The explorer plugin reads the desktop session from the agent's environment and finds
  // xdg-open on PATH: this agent runs in this process, so its environment is this one.
  Object.assign(process.env, {
    PATH: `${fakeToolsDir}${path.delimiter}${process.env.PATH ?? ''}`,
    DISPLAY: ':99',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/openclaw-fake-bus',
    FAKE_TOOLS_LOG: toolsLog,
  });
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [
      { name: 'agents', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'pipeline', token: TOKEN, roles: ['operator'] },
    ],
    store: 'memory',
    logger: pino({ level: 'silent' }),
  });
  const listening = await server.listen();
  url = listening.url;
  const config = resolveAgentConfig(
    {
      node_id: NODE,
      server_url: `ws://127.0.0.1:${listening.port}/ws`,
      auth_token: AGENT_TOKEN,
      plugins: ['explorer'],
      allowed_paths: [show],
    },
    { env: {} },
  );
  agent = createAgent({ config, logger: pino({ level: 'silent' }), platform: 'linux' });
  agent.start();
  await agent.ready;
}, 30_000);

afterAll(async () => {
  await agent?.stop();
  await server?.close();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await rm(tmp, { recursive: true, force: true });
});

describe('examples/rest/python_client.py', () => {
  const python = (args: string[], extra: Record<string, string> = {}) =>
    execa('python3', [path.join(examples, 'python_client.py'), ...args], {
      env: env(extra),
      reject: false,
      timeout: 30_000,
    });

  it('lists the server, nodes and plugins', async () => {
    const run = await python([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`server ${url}: ok`);
    expect(run.stdout).toContain(`node ${NODE} (linux): explorer`);
    expect(run.stdout).toContain('plugin explorer: open_folder, ping, reveal_file');
  });

  it('runs an action with key=value params and prints its result', async () => {
    const folder = path.join(show, 'sh010');
    const run = await python([NODE, 'explorer.open_folder', `path=${folder}`]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ opened: folder });
    expect((await readToolsLog(toolsLog)).some((call) => call.argv.includes(folder))).toBe(true);
  });

  it('prints the error code, the HTTP status and the field, and exits 1', async () => {
    const run = await python([NODE, 'explorer.open_folder', 'path=/etc']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error PATH_NOT_ALLOWED \(HTTP 403\): .+\n {2}field: params\.path$/);
  });

  it('says when the server cannot be reached', async () => {
    const run = await python([], { OPENCLAW_SERVER: `http://127.0.0.1:${await freePort()}` });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error SERVER_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('examples/rest/typescript-client.ts', () => {
  const file = path.join(examples, 'typescript-client.ts');
  const tsx = (args: string[]) =>
    execa(process.execPath, ['--import', 'tsx', '--conditions=@openclaw-node/source', file, ...args], {
      cwd: repoRoot,
      env: env(),
      reject: false,
      timeout: 60_000,
    });

  it('typechecks against the client package', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(repoRoot, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    const program = ts.createProgram([file], parsed!.options);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  });

  it('runs an action, after printing its declared result schema', async () => {
    const folder = path.join(show, 'sh010');
    const run = await tsx([NODE, 'explorer.open_folder', JSON.stringify({ path: folder })]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^explorer\.open_folder returns \{"type":"object"/);
    expect(run.stdout).toMatch(/job \S+ succeeded in \d+ ms/);
    expect(run.stdout).toContain(`"opened": "${folder}"`);
  });

  it('prints the error code and HTTP status, and exits 1', async () => {
    const run = await tsx([NODE, 'explorer.no_such_action']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error ACTION_NOT_FOUND \(HTTP 404\): /);
  });
});

describe('examples/rest/curl.sh', () => {
  it('calls every route, exec included', async () => {
    const folder = path.join(show, 'sh010');
    const run = await execa(
      'bash',
      [path.join(examples, 'curl.sh'), NODE, 'explorer.open_folder', JSON.stringify({ path: folder })],
      { env: env(), reject: false, timeout: 60_000 },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const routes = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('== '))
      .map((line) =>
        line.replace(/^== (\S+ \S+).*$/, '$1').replace(/\/job-[^/\s]+|\/[0-9a-f-]{36}/g, '/:id'),
      );
    expect(routes).toEqual([
      'GET /api/health',
      'GET /api/nodes',
      `GET /api/nodes/${NODE}`,
      'GET /api/plugins',
      'GET /api/plugins/explorer',
      `POST /api/nodes/${NODE}/exec`,
      `POST /api/nodes/${NODE}/exec`,
      'GET /api/jobs/:id',
      'GET /api/jobs/:id/events',
      `GET /api/jobs?node=${NODE}&limit=5`,
      'POST /api/exec',
      'POST /api/jobs/:id/cancel',
      `POST /api/nodes/${NODE}/exec`,
    ]);
    expect(run.stdout).toContain('"status":"success"');
    expect(run.stdout).toContain('"status":"accepted"');
    expect(run.stdout).toMatch(/^event: state$/m);
    expect(run.stdout).toContain('"state":"succeeded"');
    expect(run.stdout).toMatch(/JOB_STATE_CONFLICT[\s\S]*\nHTTP 409\n/);
    expect(run.stdout).toMatch(/PLUGIN_NOT_FOUND[\s\S]*\nHTTP 404$/);
  });
});
