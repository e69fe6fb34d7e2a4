import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nukePlugin, rvPlugin } from '@openclaw-node/plugins';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClackPrompter,
  loadAgentConfig,
  runAgentInit,
  type AgentInitOptions,
} from '../../src/index.js';
import { installFakeRv, pathWith } from '../doctor/support/fake-apps.js';
import { AGENT_TOKEN, closedPort, startRealServer, type RealServer } from '../doctor/support/real-server.js';
import { createPromptIO, KEYS, type PromptIO } from './support/prompt-io.js';

let server: RealServer;
let dir: string;
let file: string;
let env: NodeJS.ProcessEnv;
let port: string;

beforeAll(async () => {
  server = await startRealServer();
  port = new URL(server.url).port;
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-wizard-'));
  const { bin } = await installFakeRv(dir);
  env = { HOME: dir, PATH: pathWith(bin) };
  file = path.join(dir, 'node_config.yaml');
  await mkdir(path.join(dir, 'projects'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function wizard(io: PromptIO, options: Partial<AgentInitOptions> = {}) {
  return runAgentInit({
    configPath: file,
    env,
    cwd: dir,
    platform: 'linux',
    hostname: 'WS-042',
    registry: { rv: rvPlugin, nuke: nukePlugin },
    timeoutMs: 15_000,
    prompter: createClackPrompter({ input: io.input, output: io.output }),
    ...options,
  });
}

describe('the init wizard', () => {
  it('asks for each setting, tests the connection, pre-selects the apps found and writes the file', async () => {
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', `127.0.0.1:${port}${KEYS.enter}`);
      await io.answer('Token (from whoever runs the server)', `${AGENT_TOKEN}${KEYS.enter}`);
      await io.answer('Plugins to enable', KEYS.enter);
      await io.answer('Folders actions may use', `${path.join(dir, 'projects')}${KEYS.enter}`);
      await io.answer(`Write ${file}?`, KEYS.enter);
    })();
    const result = await wizard(io);
    await answers;
    expect(result.values).toEqual({
      node_id: 'ws-042',
      server_url: `ws://127.0.0.1:${port}/ws`,
      auth_token: AGENT_TOKEN,
      plugins: ['rv'],
      allowed_paths: [path.join(dir, 'projects')],
    });
    const screen = io.text();
    expect(screen).toContain('OpenClaw Node agent setup');
    expect(screen).toMatch(
      /Connected: server \d+\.\d+\.\d+ answered in \d+ ms; token accepted for node ws-042/,
    );
    expect(screen).toContain(`rv    found ${path.join(dir, 'fake-bin', 'rv')} 2024.1.0`);
    expect(screen).toMatch(/nuke +not found: Nuke was not found/);
    expect(screen).not.toContain(AGENT_TOKEN);
    expect(screen).toContain(`Wrote ${file} (readable by you only).`);
    expect(screen).toContain('openclaw agent doctor');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadAgentConfig({ configPath: file, env })).config.plugins).toEqual(['rv']);
  });

  it('lets the user fix a rejected token before anything is saved', async () => {
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', `${server.serverUrl}${KEYS.enter}`);
      await io.answer('Token (from whoever runs the server)', `wrong-token${KEYS.enter}`);
      await io.answer('What now?', KEYS.enter);
      await io.answer('Server address', KEYS.enter);
      await io.answer('Token (Enter keeps the current one)', `${AGENT_TOKEN}${KEYS.enter}`);
      await io.answer('Plugins to enable', KEYS.enter);
      await io.answer('Folders actions may use', KEYS.enter);
      await io.answer('Write ', KEYS.enter);
    })();
    const result = await wizard(io);
    await answers;
    expect(io.text()).toContain('the server rejected the token: check auth_token');
    expect(result.values.auth_token).toBe(AGENT_TOKEN);
    expect(result.connection?.ok).toBe(true);
  });

  it('can save anyway when the server is down, after saying why', async () => {
    const closed = await closedPort();
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', `ws://127.0.0.1:${closed}/ws${KEYS.enter}`);
      await io.answer('Token', `${AGENT_TOKEN}${KEYS.enter}`);
      await io.answer('What now?', `${KEYS.down}${KEYS.enter}`);
      await io.answer('Plugins to enable', KEYS.enter);
      await io.answer('Folders actions may use', KEYS.enter);
      await io.answer('Write ', KEYS.enter);
    })();
    const result = await wizard(io);
    await answers;
    expect(io.text()).toContain(`cannot reach http://127.0.0.1:${closed}/api/health`);
    expect(result.connection).toBeNull();
    expect(await readFile(file, 'utf8')).toContain(`server_url: ws://127.0.0.1:${closed}/ws`);
  });

  it('offers the existing config as the defaults and keeps the token on Enter', async () => {
    const existing = [
      '# ws-007, edit room',
      'node_id: ws-007',
      `server_url: ${server.serverUrl}`,
      `auth_token: ${AGENT_TOKEN}`,
      'plugins: [nuke]',
      `allowed_paths: [${path.join(dir, 'projects')}]`,
      'tags: [edit]',
      '',
    ].join('\n');
    await writeFile(file, existing);
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', KEYS.enter);
      await io.answer('Token (Enter keeps the current one)', KEYS.enter);
      // nuke stays selected as in the file (its app is missing here); add rv.
      await io.answer('Plugins to enable', `${KEYS.space}${KEYS.enter}`);
      await io.answer('Folders actions may use', KEYS.enter);
      await io.answer(`Update ${file}?`, KEYS.enter);
    })();
    const result = await wizard(io);
    await answers;
    expect(io.text()).toContain(`Current settings from ${file} are the defaults.`);
    expect(result.values).toMatchObject({
      node_id: 'ws-007',
      auth_token: AGENT_TOKEN,
      plugins: ['rv', 'nuke'],
    });
    expect(await readFile(file, 'utf8')).toBe(existing.replace('plugins: [nuke]', 'plugins: [rv, nuke]'));
    expect(io.text()).toContain('plugin nuke: Nuke was not found');
  });

  it('does not ask what the flags answer', async () => {
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Folders actions may use', KEYS.enter);
      await io.answer('Write ', KEYS.enter);
    })();
    const result = await wizard(io, {
      server: server.serverUrl,
      token: AGENT_TOKEN,
      nodeId: 'ws-flag',
      plugins: ['rv'],
    });
    await answers;
    expect(io.text()).not.toContain('Node id');
    expect(io.text()).not.toContain('Server address');
    expect(io.text()).not.toContain('Plugins to enable');
    expect(result.values).toMatchObject({ node_id: 'ws-flag', plugins: ['rv'] });
  });

  it('writes nothing when the user presses Ctrl-C or declines at the end', async () => {
    const io = createPromptIO();
    const stopped = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', KEYS.ctrlC);
    })();
    await expect(wizard(io)).rejects.toMatchObject({ code: 'CANCELLED' });
    await stopped;
    expect(io.text()).toContain('Cancelled: nothing was written.');
    const declined = createPromptIO();
    const answers = (async () => {
      await declined.answer('Node id', KEYS.enter);
      await declined.answer('Server address', `${server.serverUrl}${KEYS.enter}`);
      await declined.answer('Token', `${AGENT_TOKEN}${KEYS.enter}`);
      await declined.answer('Plugins to enable', KEYS.enter);
      await declined.answer('Folders actions may use', KEYS.enter);
      // Left then Enter answers No.
      await declined.answer('Write ', `\u001b[D${KEYS.enter}`);
    })();
    await expect(wizard(declined)).rejects.toMatchObject({ code: 'CANCELLED' });
    await answers;
    await expect(access(file)).rejects.toThrow(/ENOENT/);
  });

  it('re-asks an invalid node id or server address', async () => {
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', `${KEYS.backspace.repeat(10)}-bad id${KEYS.enter}`);
      await io.answer('a node id is 1-128 letters', `${KEYS.backspace.repeat(10)}ws-9${KEYS.enter}`);
      await io.answer('Server address', `ftp://x${KEYS.enter}`);
      await io.answer(
        'must be a ws://, wss://, http:// or https:// URL',
        `${KEYS.backspace.repeat(10)}${server.serverUrl}${KEYS.enter}`,
      );
      await io.answer('Token', `${AGENT_TOKEN}${KEYS.enter}`);
      await io.answer('Plugins to enable', KEYS.enter);
      await io.answer('Folders actions may use', `projects${KEYS.enter}`);
      await io.answer('projects is not an absolute path', `${KEYS.backspace.repeat(8)}${KEYS.enter}`);
      await io.answer('Write ', KEYS.enter);
    })();
    const result = await wizard(io);
    await answers;
    expect(result.values).toMatchObject({ node_id: 'ws-9', server_url: server.serverUrl, allowed_paths: [] });
  });

  it('asks again for a plugin one typo from a built-in, and confirms a folder that is not here', async () => {
    const io = createPromptIO();
    const answers = (async () => {
      await io.answer('Node id', KEYS.enter);
      await io.answer('Server address', `${server.serverUrl}${KEYS.enter}`);
      await io.answer('Token', `${AGENT_TOKEN}${KEYS.enter}`);
      // rv is pre-selected in place of rvv.
      await io.answer('Plugins to enable', KEYS.enter);
      await io.answer('Folders actions may use', `${path.join(dir, 'projcts')}${KEYS.enter}`);
      // Enter keeps the default answer, No: the question comes again, holding the typo to fix.
      await io.answer('projcts does not exist on this workstation (yet)', KEYS.enter);
      await io.answer('Folders actions may use', `${KEYS.backspace.repeat(7)}projects${KEYS.enter}`);
      await io.answer('Write ', KEYS.enter);
    })();
    const result = await wizard(io, { plugins: ['rvv'] });
    await answers;
    expect(io.text()).toContain('"rvv" is not a plugin: did you mean "rv"?: choose the plugins again.');
    expect(result.values).toMatchObject({ plugins: ['rv'], allowed_paths: [path.join(dir, 'projects')] });
  });
});
