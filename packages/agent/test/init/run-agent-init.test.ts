import { access, mkdtemp, readFile, rm, stat, writeFile, mkdir, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nukePlugin, rvPlugin } from '@openclaw-node/plugins';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAgentConfig, runAgentInit, type AgentInitOptions } from '../../src/index.js';
import { installFakeRv, pathWith } from '../doctor/support/fake-apps.js';
import { AGENT_TOKEN, closedPort, startRealServer, type RealServer } from '../doctor/support/real-server.js';

let server: RealServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let file: string;

beforeAll(async () => {
  server = await startRealServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-init-'));
  const { bin } = await installFakeRv(dir);
  env = { HOME: dir, PATH: pathWith(bin) };
  file = path.join(dir, 'etc', 'openclaw', 'node_config.yaml');
  await mkdir(path.join(dir, 'projects'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const registry = { rv: rvPlugin, nuke: nukePlugin };
const init = (options: AgentInitOptions) =>
  runAgentInit({
    configPath: file,
    env,
    cwd: dir,
    platform: 'linux',
    registry,
    timeoutMs: 15_000,
    ...options,
  });
const exists = (target: string) =>
  access(target).then(
    () => true,
    () => false,
  );

describe('runAgentInit without questions', () => {
  it('tests the connection, picks the plugins whose app is found and writes a private, valid config', async () => {
    const result = await init({
      server: server.serverUrl,
      token: AGENT_TOKEN,
      nodeId: 'ws-042',
      allowedPaths: [path.join(dir, 'projects')],
    });
    expect(result).toMatchObject({
      file,
      created: true,
      values: {
        node_id: 'ws-042',
        server_url: server.serverUrl,
        auth_token: AGENT_TOKEN,
        plugins: ['rv'],
        allowed_paths: [path.join(dir, 'projects')],
      },
      connection: { ok: true, health: { ok: true }, handshake: { ok: true } },
      warnings: [],
    });
    expect(result.apps?.find((a) => a.plugin === 'rv')).toMatchObject({
      available: true,
      app: { path: path.join(dir, 'fake-bin', 'rv'), version: '2024.1.0' },
    });
    expect(result.apps?.find((a) => a.plugin === 'nuke')).toMatchObject({ available: false });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { config } = await loadAgentConfig({ configPath: file, env, onWarning: (w) => expect.fail(w) });
    expect(config).toMatchObject({ node_id: 'ws-042', plugins: ['rv'], auth_token: AGENT_TOKEN });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# OpenClaw Node agent configuration, written by `openclaw agent init`/);
    expect(text).toContain('# The token the server gave this node.');
  });

  it('defaults the node id to the host name and takes a bare host:port as the server', async () => {
    const port = new URL(server.url).port;
    const result = await init({
      server: `127.0.0.1:${port}`,
      token: AGENT_TOKEN,
      hostname: 'WS-042.Studio.lan',
      plugins: [],
    });
    expect(result.values).toMatchObject({
      node_id: 'ws-042.studio.lan',
      server_url: `ws://127.0.0.1:${port}/ws`,
      plugins: [],
    });
    expect(result.warnings).toContain(
      'allowed_paths is empty: every action param that is a path will be refused',
    );
  });

  it('writes nothing when the server rejects the token', async () => {
    const attempt = init({ server: server.serverUrl, token: 'not-the-token', nodeId: 'ws-042' });
    await expect(attempt).rejects.toMatchObject({
      code: 'AUTH_INVALID',
      message: expect.stringMatching(
        /^the connection test failed: the server rejected the token: check auth_token .*Nothing was written \(--no-verify skips this test\)$/,
      ),
      details: { field: 'auth_token' },
    });
    expect(await exists(file)).toBe(false);
    expect(await exists(path.dirname(file))).toBe(false);
  });

  it('writes nothing when the server cannot be reached, and says what failed', async () => {
    const port = await closedPort();
    await expect(
      init({ server: `ws://127.0.0.1:${port}/ws`, token: AGENT_TOKEN, nodeId: 'ws-042' }),
    ).rejects.toMatchObject({
      code: 'SERVER_UNREACHABLE',
      message: expect.stringContaining(`cannot reach http://127.0.0.1:${port}/api/health`),
      details: { field: 'server_url' },
    });
    expect(await exists(file)).toBe(false);
  });

  it('skips the connection test with verify: false', async () => {
    const port = await closedPort();
    const result = await init({
      server: `ws://127.0.0.1:${port}/ws`,
      token: 'anything',
      nodeId: 'ws-042',
      verify: false,
    });
    expect(result.connection).toBeNull();
    expect(await exists(file)).toBe(true);
  });

  it('tests a ${VAR} token with its value and writes the reference', async () => {
    const result = await init({
      server: server.serverUrl,
      token: '${OPENCLAW_NODE_TOKEN}',
      nodeId: 'ws-042',
      plugins: ['rv'],
      env: { ...env, OPENCLAW_NODE_TOKEN: AGENT_TOKEN },
    });
    expect(result.connection?.ok).toBe(true);
    expect(await readFile(file, 'utf8')).toContain('auth_token: ${OPENCLAW_NODE_TOKEN}');
  });

  it('takes the defaults from an existing config and keeps its comments and other settings', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    const existing = [
      '# Workstation 42, comp floor',
      'node_id: ws-042 # asset tag 1187',
      `server_url: ws://127.0.0.1:1/ws`,
      'auth_token: ${OPENCLAW_NODE_TOKEN}',
      'plugins: [rv, nuke]',
      'allowed_paths:',
      `  - ${path.join(dir, 'projects')} # the show`,
      'plugin_config:',
      '  nuke: { path: /opt/Nuke15.1v3/Nuke15.1 }',
      'tags: [comp, gpu]',
      '',
    ].join('\n');
    await writeFile(file, existing);
    await chmod(file, 0o644);
    const result = await init({
      server: server.serverUrl,
      force: true,
      env: { ...env, OPENCLAW_NODE_TOKEN: AGENT_TOKEN },
    });
    expect(result).toMatchObject({
      created: false,
      values: {
        node_id: 'ws-042',
        server_url: server.serverUrl,
        auth_token: '${OPENCLAW_NODE_TOKEN}',
        plugins: ['rv', 'nuke'],
      },
      apps: null,
    });
    expect(await readFile(file, 'utf8')).toBe(existing.replace('ws://127.0.0.1:1/ws', server.serverUrl));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps the comments of list items that stay when a list changes', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    const projects = path.join(dir, 'projects');
    await writeFile(
      file,
      `server_url: ${server.serverUrl}\nauth_token: ${AGENT_TOKEN}\nallowed_paths:\n  - ${projects} # the show\n`,
    );
    await mkdir(path.join(dir, 'renders'));
    await init({ allowedPaths: [projects, path.join(dir, 'renders')], force: true, plugins: ['rv'] });
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`  - ${projects} # the show\n  - ${path.join(dir, 'renders')}\n`);
    expect(text).toContain('plugins: [rv]');
  });

  it('refuses to replace an existing config without force', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'server_url: ws://old:8765/ws\nauth_token: t\n');
    await expect(init({ server: server.serverUrl, token: AGENT_TOKEN })).rejects.toMatchObject({
      code: 'CONFIG_EXISTS',
      message: expect.stringContaining('already exists: pass --force to update it'),
    });
    expect(await readFile(file, 'utf8')).toBe('server_url: ws://old:8765/ws\nauth_token: t\n');
  });

  it('names the missing or bad value and its flag', async () => {
    await expect(init({ token: AGENT_TOKEN })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'server_url', flag: '--server' },
    });
    await expect(init({ server: 'ftp://pipeline/ws', token: AGENT_TOKEN })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('must be a ws://, wss://, http:// or https:// URL'),
      details: { flag: '--server' },
    });
    await expect(
      init({ server: server.serverUrl, token: AGENT_TOKEN, allowedPaths: ['projects'] }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'allowed_paths[0]', flag: '--allowed-path' },
    });
    await expect(
      init({ server: server.serverUrl, token: AGENT_TOKEN, nodeId: '-bad id' }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'node_id' },
    });
    expect(await exists(file)).toBe(false);
  });

  it('warns about plugins that cannot load or whose app is missing, and allowed paths missing here', async () => {
    const result = await init({
      server: server.serverUrl,
      token: AGENT_TOKEN,
      plugins: ['rv', 'nuke', 'maya'],
      allowedPaths: ['/mnt/nowhere-openclaw-test'],
      keepMissingPaths: true,
    });
    expect(result.warnings).toEqual([
      'plugin nuke: Nuke was not found',
      expect.stringMatching(
        /^plugin maya cannot be loaded here, so the agent will skip it: no plugin is named "maya"/,
      ),
      'allowed path /mnt/nowhere-openclaw-test does not exist on this workstation',
    ]);
  });
});

describe('runAgentInit refuses likely typos without a wizard', () => {
  it('a plugin one typo from a built-in: did you mean, nothing written', async () => {
    await expect(
      init({ server: server.serverUrl, token: AGENT_TOKEN, plugins: ['explorer', 'rvv'] }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'plugins: "rvv" is not a plugin: did you mean "rv"?',
      details: { field: 'plugins', flag: '--plugins', suggestions: { rvv: 'rv' } },
    });
    expect(await exists(file)).toBe(false);
  });

  it('an allowed path that does not exist here, unless kept on purpose', async () => {
    const missing = path.join(dir, 'projcts');
    await expect(
      init({ server: server.serverUrl, token: AGENT_TOKEN, plugins: ['rv'], allowedPaths: [missing] }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`allowed path ${missing} does not exist on this workstation`),
      details: { field: 'allowed_paths', flag: '--allowed-path' },
    });
    expect(await exists(file)).toBe(false);
    const kept = await init({
      server: server.serverUrl,
      token: AGENT_TOKEN,
      plugins: ['rv'],
      allowedPaths: [missing],
      keepMissingPaths: true,
    });
    expect(kept.values.allowed_paths).toEqual([missing]);
  });
});

describe('renderConfig', () => {
  it('edits only what changed in any layout, and the result reads back as intended', async () => {
    const { readExistingConfig, renderConfig } = await import('../../src/init/index.js');
    const source = [
      'node_id: "ws-042"   # quoted on purpose',
      'server_url: ws://old:8765/ws',
      'auth_token: tok',
      'plugins:',
      '    - rv   # review',
      '    # nuke is licensed per seat',
      '    - nuke',
      'allowed_paths:',
      'heartbeat_interval: 30',
      '',
    ].join('\n');
    const target = path.join(dir, 'layout.yaml');
    await writeFile(target, source);
    const existing = await readExistingConfig(target);
    const text = renderConfig(
      {
        node_id: 'ws-042',
        server_url: 'wss://openclaw.studio.com/ws',
        auth_token: 'tok',
        plugins: ['rv', 'explorer'],
        allowed_paths: ['P:\\projects', '/mnt/a b'],
      },
      existing,
      '',
    );
    expect(text).toBe(
      [
        'node_id: "ws-042"   # quoted on purpose',
        'server_url: wss://openclaw.studio.com/ws',
        'auth_token: tok',
        'plugins:',
        '    - rv   # review',
        '    - explorer',
        'allowed_paths: [P:\\projects, /mnt/a b]',
        'heartbeat_interval: 30',
        '',
      ].join('\n'),
    );
  });
});
