import { execa } from 'execa';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  cliBin,
  createWorkspace,
  freePort,
  readToolsLog,
  startAgentProcess,
  startServerProcess,
  waitFor,
  writeAgentConfig,
  type RunningProcess,
} from './harness.js';

const TOKEN = 'e2e-token-7f3a9c1d2b';
const FARM_TOKEN = 'e2e-farm-token-5c2e8b7d1a9f';
let ws: Awaited<ReturnType<typeof createWorkspace>>;
let port: number;
let base: string;
let server: RunningProcess;
const agents: RunningProcess[] = [];
let show: string;
let outside: string;
let tokensFile: string;

async function nodeIds(): Promise<string[]> {
  const { body } = await api(base, '/api/nodes', { token: TOKEN });
  return ((body.nodes as { node_id: string }[] | undefined) ?? []).map((n) => n.node_id);
}

async function startAgent(
  nodeId: string,
  env: Record<string, string> = {},
  token = '${E2E_TOKEN}',
): Promise<RunningProcess> {
  const config = await writeAgentConfig(ws.dir, {
    node_id: nodeId,
    server_url: `ws://127.0.0.1:${port}/ws`,
    auth_token: token,
    plugins: ['explorer'],
    allowed_paths: [show],
    heartbeat_interval: 30,
  });
  const agent = startAgentProcess(config, { E2E_TOKEN: TOKEN, FAKE_TOOLS_LOG: ws.toolsLog, ...env });
  agents.push(agent);
  return agent;
}

const exec = (node: string, body: unknown) => api(base, `/api/nodes/${node}/exec`, { token: TOKEN, body });

beforeAll(async () => {
  ws = await createWorkspace();
  show = path.join(ws.dir, 'show');
  outside = path.join(ws.dir, 'outside');
  await mkdir(path.join(show, 'sh010', 'comp'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(show, 'sh010', 'comp', 'a b.exr'), '');
  await writeFile(path.join(outside, 'secret.txt'), '');
  await symlink(outside, path.join(show, 'escape'));
  tokensFile = path.join(ws.dir, 'tokens.yaml');
  await writeFile(
    tokensFile,
    `tokens:\n  - name: pipeline\n    token: ${TOKEN}\n  - name: farm\n    token: ${FARM_TOKEN}\n    roles: [agent]\n    nodes: ['*']\n`,
  );
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startServerProcess(port, {
    OPENCLAW_TOKENS_FILE: tokensFile,
    OPENCLAW_DATA_DIR: path.join(ws.dir, 'data'),
  });
  await waitFor(
    async () => ((await api(base, '/api/health')).status === 200 ? true : undefined),
    'server health',
  );
  await startAgent('ws-042');
  await waitFor(async () => ((await nodeIds()).includes('ws-042') ? true : undefined), 'agent registration');
}, 30_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await server?.stop();
  await ws?.cleanup();
});

describe('REST routes through real processes', () => {
  it('serves health without a token', async () => {
    const { status, body } = await api(base, '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', nodes_connected: 1, pending_commands: 0 });
  });

  it('requires a valid token on every other route', async () => {
    expect(await api(base, '/api/nodes')).toMatchObject({
      status: 401,
      body: { error: { code: 'AUTH_REQUIRED' } },
    });
    expect(await api(base, '/api/nodes', { token: 'wrong' })).toMatchObject({
      status: 401,
      body: { error: { code: 'AUTH_INVALID' } },
    });
    expect(await api(base, '/api/plugins', { token: 'wrong' })).toMatchObject({ status: 401 });
  });

  it('lists the node, its detail and the plugin catalog it advertised', async () => {
    const nodes = await api(base, '/api/nodes', { token: TOKEN });
    expect(nodes.body.nodes).toEqual([
      expect.objectContaining({ node_id: 'ws-042', platform: 'linux', plugins: ['explorer'] }),
    ]);
    const detail = await api(base, '/api/nodes/ws-042', { token: TOKEN });
    expect(detail.body).toMatchObject({
      node_id: 'ws-042',
      manifests: [expect.objectContaining({ name: 'explorer' })],
    });
    const catalog = await api(base, '/api/plugins', { token: TOKEN });
    const explorer = (
      catalog.body.plugins as { name: string; nodes: { node_id: string }[]; actions: object }[]
    ).find((p) => p.name === 'explorer');
    expect(explorer?.nodes.map((n) => n.node_id)).toContain('ws-042');
    expect(Object.keys(explorer?.actions ?? {})).toEqual(
      expect.arrayContaining(['open_folder', 'reveal_file', 'ping']),
    );
  });

  it('opens a folder on the workstation with xdg-open', async () => {
    const folder = path.join(show, 'sh010', 'comp');
    const { status, body } = await exec('ws-042', {
      action: 'explorer.open_folder',
      params: { path: folder },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'success', node_id: 'ws-042', action: 'explorer.open_folder' });
    expect(typeof body.command_id).toBe('string');
    await waitFor(
      async () =>
        (await readToolsLog(ws.toolsLog)).some((c) => c.tool === 'xdg-open' && c.argv[0] === folder)
          ? true
          : undefined,
      'xdg-open call',
    );
  });

  it('reveals a file through the FileManager1 D-Bus call', async () => {
    const file = path.join(show, 'sh010', 'comp', 'a b.exr');
    const { status } = await exec('ws-042', { action: 'explorer.reveal_file', params: { path: file } });
    expect(status).toBe(200);
    const calls = await readToolsLog(ws.toolsLog);
    const call = calls.find((c) => c.tool === 'gdbus');
    expect(call?.argv).toEqual(expect.arrayContaining(['org.freedesktop.FileManager1.ShowItems']));
    expect(call?.argv.join(' ')).toContain('a%20b.exr');
  });

  it.each([
    ['a folder outside allowed_paths', () => outside],
    ['a .. escape', () => `${show}/sh010/../../outside`],
    ['a symlink out of the root', () => path.join(show, 'escape')],
  ])('refuses %s with 403 PATH_NOT_ALLOWED and starts nothing', async (_label, target) => {
    const before = (await readToolsLog(ws.toolsLog)).length;
    const { status, body } = await exec('ws-042', {
      action: 'explorer.open_folder',
      params: { path: target() },
    });
    expect(status).toBe(403);
    expect(body).toMatchObject({ status: 'error', error: { code: 'PATH_NOT_ALLOWED' } });
    expect((await readToolsLog(ws.toolsLog)).length).toBe(before);
  });

  it('answers 422 with the plugin code when the action fails', async () => {
    const { status, body } = await exec('ws-042', {
      action: 'explorer.open_folder',
      params: { path: path.join(show, 'nope') },
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({ status: 'error', error: { code: 'PATH_NOT_FOUND' } });
  });

  it.each([
    [
      'a relative path',
      { action: 'explorer.open_folder', params: { path: 'sh010/comp' } },
      'INVALID_PARAMS',
      'params.path',
    ],
    [
      'an option-like value',
      { action: 'explorer.open_folder', params: { path: '--help' } },
      'INVALID_PARAMS',
      'params.path',
    ],
    ['a missing param', { action: 'explorer.open_folder', params: {} }, 'INVALID_PARAMS', 'params.path'],
    ['a malformed action id', { action: 'open_folder' }, 'INVALID_ACTION_ID', 'action'],
  ])('answers 400 for %s naming the field', async (_label, body, code, field) => {
    const response = await exec('ws-042', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      status: 'error',
      error: { code, details: expect.objectContaining({ field }) },
    });
  });

  it.each([
    ['node', 'ws-999', 'explorer.open_folder', 'NODE_NOT_FOUND'],
    ['plugin', 'ws-042', 'houdini.open', 'PLUGIN_NOT_FOUND'],
    ['action', 'ws-042', 'explorer.delete_everything', 'ACTION_NOT_FOUND'],
  ])('answers 404 for an unknown %s', async (_label, node, action, code) => {
    const { status, body } = await exec(node, { action, params: {} });
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code } });
  });

  it('answers 400 for malformed JSON and 413 for a body over 1 MB', async () => {
    const malformed = await api(base, '/api/nodes/ws-042/exec', { token: TOKEN, rawBody: '{"action": ' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
    const huge = await exec('ws-042', {
      action: 'explorer.open_folder',
      params: { path: `/${'a'.repeat(1_100_000)}` },
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'BODY_TOO_LARGE' } } });
  });

  it('runs exec from the CLI', async () => {
    const folder = path.join(show, 'sh010');
    const result = await execa(
      process.execPath,
      [
        cliBin,
        'exec',
        'ws-042',
        'explorer.open_folder',
        `path=${folder}`,
        '--server',
        base,
        '--token',
        TOKEN,
        '--json',
      ],
      { reject: false },
    );
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'success' });
    const failed = await execa(
      process.execPath,
      [
        cliBin,
        'exec',
        'ws-042',
        'explorer.open_folder',
        `path=${outside}`,
        '--server',
        base,
        '--token',
        TOKEN,
      ],
      { reject: false },
    );
    expect(failed.exitCode).not.toBe(0);
    expect(failed.stderr).toContain('PATH_NOT_ALLOWED');
  });
});

describe('failures of the node and the connection', () => {
  it('answers 504 with status "timeout" when the action outlives its timeout, and kills its process', async () => {
    const slow = await startAgent('ws-slow', { FAKE_GDBUS_SLEEP_MS: '60000' });
    await waitFor(async () => ((await nodeIds()).includes('ws-slow') ? true : undefined), 'slow agent');
    const file = path.join(show, 'sh010', 'comp', 'a b.exr');
    const { status, body } = await exec('ws-slow', {
      action: 'explorer.reveal_file',
      params: { path: file },
      timeout: 1,
    });
    expect(status).toBe(504);
    expect(body).toMatchObject({ status: 'timeout', error: { code: 'TIMEOUT' } });
    const call = (await readToolsLog(ws.toolsLog)).filter((c) => c.tool === 'gdbus').at(-1);
    await waitFor(async () => (isAlive(call!.pid!) ? undefined : true), 'the timed-out process to be killed');
    await slow.stop();
  });

  it('answers 502 at once when the agent dies mid-action', async () => {
    const doomed = await startAgent('ws-doomed', { FAKE_GDBUS_SLEEP_MS: '60000' });
    await waitFor(async () => ((await nodeIds()).includes('ws-doomed') ? true : undefined), 'doomed agent');
    const before = (await readToolsLog(ws.toolsLog)).length;
    const pending = exec('ws-doomed', {
      action: 'explorer.reveal_file',
      params: { path: path.join(show, 'sh010', 'comp', 'a b.exr') },
      timeout: 120,
    });
    await waitFor(
      async () => ((await readToolsLog(ws.toolsLog)).length > before ? true : undefined),
      'the action to start',
    );
    doomed.process.kill('SIGKILL');
    const outcome = await Promise.race([
      pending,
      new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 15_000)),
    ]);
    expect(outcome).toMatchObject({
      status: 502,
      body: { status: 'error', error: { code: 'NODE_DISCONNECTED' } },
    });
  });

  it('stops an agent whose token the server rejects, with a non-zero exit and the reason', async () => {
    const rejected = await startAgent('ws-intruder', {}, 'not-the-token');
    const result = await rejected.process;
    expect(result.exitCode).not.toBe(0);
    expect(rejected.output()).toMatch(/AUTH_INVALID|token/i);
    expect(await nodeIds()).not.toContain('ws-intruder');
  });

  it('lets a second agent with the same node id replace the first, which exits', async () => {
    const first = await startAgent('ws-dup');
    await waitFor(async () => ((await nodeIds()).includes('ws-dup') ? true : undefined), 'first agent');
    const second = await startAgent('ws-dup');
    const result = await first.process;
    expect(first.output()).toMatch(/NODE_REPLACED|replaced/i);
    expect(result.exitCode).not.toBeNull();
    await waitFor(async () => ((await nodeIds()).includes('ws-dup') ? true : undefined), 'second agent');
    expect(second.process.exitCode).toBeNull();
    await second.stop();
  });

  it('refuses an agent with another token for a held node id; it keeps retrying and connects once the holder is gone', async () => {
    const holder = await startAgent('ws-held');
    await waitFor(async () => ((await nodeIds()).includes('ws-held') ? true : undefined), 'the holder');
    const intruder = await startAgent('ws-held', {}, FARM_TOKEN);
    await waitFor(
      async () =>
        intruder.output().includes('another agent with another token is connected as node')
          ? true
          : undefined,
      'the refusal sentence',
    );
    expect(intruder.output()).toContain('NODE_ID_IN_USE');
    // The holder keeps its node and is not told to go; the refused agent has not exited.
    expect(holder.output()).not.toMatch(/NODE_REPLACED/);
    expect(holder.process.exitCode).toBeNull();
    expect(intruder.process.exitCode).toBeNull();
    await holder.stop();
    await waitFor(
      async () =>
        (await nodeIds()).includes('ws-held') && /registered with the server/.test(intruder.output())
          ? true
          : undefined,
      'the refused agent to connect once the holder left',
      20_000,
    );
    expect(intruder.process.exitCode).toBeNull();
    await intruder.stop();
  });

  it('re-registers an agent by itself after the server restarts', async () => {
    await server.stop();
    server = startServerProcess(port, {
      OPENCLAW_TOKENS_FILE: tokensFile,
      OPENCLAW_DATA_DIR: path.join(ws.dir, 'data'),
    });
    await waitFor(
      async () => ((await api(base, '/api/health')).status === 200 ? true : undefined),
      'restarted server',
    );
    await waitFor(
      async () => ((await nodeIds()).includes('ws-042') ? true : undefined),
      're-registration',
      20_000,
    );
    const { status } = await exec('ws-042', { action: 'explorer.ping' });
    expect(status).toBe(200);
  }, 30_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
