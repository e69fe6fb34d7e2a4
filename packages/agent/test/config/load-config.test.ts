import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import { loadAgentConfig } from '../../src/index.js';

const ORIGINAL = `# node_config.yaml as the original Python project wrote it
node_id: "ws-042"
server_url: "ws://pipeline-server:8765/ws"
auth_token: "s3cret-token"
plugins:
  - explorer
  - rv
  - nuke
allowed_paths:
  - "/mnt/projects"
  - "P:\\\\"
plugin_config:
  rv:
    path: "/opt/rv/bin/rv"
  nuke:
    path: "/opt/Nuke15.1v3/Nuke15.1"
    threads: 8
heartbeat_interval: 30
`;

let dir: string;
const warnings: string[] = [];
const onWarning = (message: string) => warnings.push(message);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-agent-config-'));
  warnings.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(
  promise: Promise<unknown>,
): Promise<{ message: string; code: string; details: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOpenClawError(error)) throw new Error(`expected an OpenClawError, got ${String(error)}`);
  return { message: error.message, code: error.code, details: error.details ?? {} };
}

describe('loadAgentConfig', () => {
  it('reads the original project node_config.yaml unchanged', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(file, ORIGINAL);
    const { config, filepath } = await loadAgentConfig({ configPath: file, env: {}, onWarning });
    expect(filepath).toBe(file);
    expect(config).toEqual({
      node_id: 'ws-042',
      server_url: 'ws://pipeline-server:8765/ws',
      auth_token: 's3cret-token',
      plugins: ['explorer', 'rv', 'nuke'],
      plugin_dirs: [],
      allowed_paths: ['/mnt/projects', 'P:\\'],
      plugin_config: {
        rv: { path: '/opt/rv/bin/rv' },
        nuke: { path: '/opt/Nuke15.1v3/Nuke15.1', threads: 8 },
      },
      heartbeat_interval: 30,
      health_interval: 300,
      max_concurrent_jobs: 4,
      max_queued_jobs: 32,
      tags: [],
    });
    expect(warnings).toEqual([]);
  });

  it('expands ${VAR} and ${VAR:-default} from the environment', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(
      file,
      [
        'node_id: ${NODE}',
        'server_url: ws://${SERVER_HOST:-pipeline}:8765/ws',
        'auth_token: ${OPENCLAW_NODE_TOKEN}',
        'allowed_paths: ["${SHOW_ROOT}/projects"]',
        'plugins: [rv]',
        'plugin_config: { rv: { path: "${RV_HOME:-/opt/rv}/bin/rv", note: "costs $${PRICE}" } }',
      ].join('\n'),
    );
    const env = { NODE: 'ws-007', OPENCLAW_NODE_TOKEN: 'from-env', SHOW_ROOT: '/mnt', RV_HOME: '' };
    const { config } = await loadAgentConfig({ configPath: file, env });
    expect(config.node_id).toBe('ws-007');
    expect(config.server_url).toBe('ws://pipeline:8765/ws');
    expect(config.auth_token).toBe('from-env');
    expect(config.allowed_paths).toEqual(['/mnt/projects']);
    expect(config.plugin_config.rv).toEqual({ path: '/opt/rv/bin/rv', note: 'costs ${PRICE}' });
  });

  it('names the field and the variable when ${VAR} is not set', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(file, 'server_url: ws://s:8765/ws\nauth_token: ${OPENCLAW_NODE_TOKEN}\n');
    const error = await failure(loadAgentConfig({ configPath: file, env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      `${file}: auth_token refers to \${OPENCLAW_NODE_TOKEN}, which is not set: set the environment variable OPENCLAW_NODE_TOKEN or give a default with \${OPENCLAW_NODE_TOKEN:-value}`,
    );
    expect(error.details).toEqual({ field: 'auth_token', file, variable: 'OPENCLAW_NODE_TOKEN' });
  });

  it('finds node_config.yml in the working directory', async () => {
    await writeFile(
      path.join(dir, 'node_config.yml'),
      'server_url: wss://s/ws\nauth_token: t\nnode_id: here\n',
    );
    const { config, filepath } = await loadAgentConfig({
      cwd: dir,
      env: { XDG_CONFIG_HOME: path.join(dir, 'xdg') },
    });
    expect(filepath).toBe(path.join(dir, 'node_config.yml'));
    expect(config.node_id).toBe('here');
  });

  it('falls back to the per-OS default location', async () => {
    const xdg = path.join(dir, 'xdg');
    await mkdir(path.join(xdg, 'openclaw-node'), { recursive: true });
    const file = path.join(xdg, 'openclaw-node', 'node_config.yaml');
    await writeFile(file, 'server_url: ws://s:8765/ws\nauth_token: t\nnode_id: from-default\n');
    const cwd = path.join(dir, 'empty');
    await mkdir(cwd);
    const { config, filepath } = await loadAgentConfig({
      cwd,
      env: { XDG_CONFIG_HOME: xdg },
      platform: 'linux',
    });
    expect(filepath).toBe(file);
    expect(config.node_id).toBe('from-default');
  });

  it('lists every place it looked when there is no config', async () => {
    const error = await failure(
      loadAgentConfig({ cwd: dir, env: { XDG_CONFIG_HOME: path.join(dir, 'xdg') }, platform: 'linux' }),
    );
    expect(error.message).toContain('no node_config.yaml found');
    expect(error.message).toContain(path.join(dir, 'node_config.yaml'));
    expect(error.message).toContain(path.join(dir, 'xdg', 'openclaw-node', 'node_config.yaml'));
    expect(error.message).toContain('--config');
  });

  it('reports a --config file that does not exist', async () => {
    const file = path.join(dir, 'missing.yaml');
    const error = await failure(loadAgentConfig({ configPath: file }));
    expect(error.message).toBe(`${file} does not exist`);
    expect(error.details.file).toBe(file);
  });

  it('reports YAML syntax errors with the file and line', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(file, 'server_url: ws://s:8765/ws\nauth_token: [unclosed\n');
    const error = await failure(loadAgentConfig({ configPath: file }));
    expect(error.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be parsed: .*line`),
    );
  });

  it('refuses an empty file and a file that is not a mapping', async () => {
    const empty = path.join(dir, 'empty.yaml');
    await writeFile(empty, '# nothing yet\n');
    expect((await failure(loadAgentConfig({ configPath: empty }))).message).toContain('the file is empty');
    const list = path.join(dir, 'list.yaml');
    await writeFile(list, '- server_url\n- auth_token\n');
    expect((await failure(loadAgentConfig({ configPath: list }))).message).toBe(
      `${list}: must be a mapping of settings, e.g. "server_url: ws://pipeline-server:8765/ws" on its own line; got a list`,
    );
  });

  it('warns about unknown keys without failing', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(
      file,
      'server_url: ws://s:8765/ws\nauth_token: t\nnode_id: a\nallowedPaths: [/x]\nlog_file: /tmp/x\n',
    );
    const { config } = await loadAgentConfig({ configPath: file, onWarning });
    expect(config.allowed_paths).toEqual([]);
    expect(warnings).toEqual([
      `${file}: unknown setting "allowedPaths" is ignored; did you mean "allowed_paths"?`,
      expect.stringContaining(
        `${file}: unknown setting "log_file" is ignored (known settings: node_id, server_url`,
      ),
    ]);
  });
});

describe('loadAgentConfig with a misspelt key', () => {
  it('names the nearest setting: allowed_path → allowed_paths, plugin → plugins, sever_url → server_url', async () => {
    const file = path.join(dir, 'node_config.yaml');
    await writeFile(
      file,
      'server_url: ws://s:8765/ws\nauth_token: t\nnode_id: a\nallowed_path: [/x]\nplugin: [rv]\nsever_url: ws://x\n',
    );
    const warnings: string[] = [];
    const { config } = await loadAgentConfig({ configPath: file, onWarning: (m) => warnings.push(m) });
    expect(config.allowed_paths).toEqual([]);
    expect(warnings).toEqual([
      `${file}: unknown setting "allowed_path" is ignored; did you mean "allowed_paths"?`,
      `${file}: unknown setting "plugin" is ignored; did you mean "plugins"?`,
      `${file}: unknown setting "sever_url" is ignored; did you mean "server_url"?`,
    ]);
  });
});

describe('loadAgentConfig with an empty file in the working directory', () => {
  it('reports it instead of silently using another file', async () => {
    await writeFile(path.join(dir, 'node_config.yaml'), '');
    const error = await failure(
      loadAgentConfig({ cwd: dir, env: { XDG_CONFIG_HOME: path.join(dir, 'xdg') } }),
    );
    expect(error.message).toBe(
      `${path.join(dir, 'node_config.yaml')}: the file is empty: it needs at least server_url and auth_token, e.g. server_url: ws://pipeline-server:8765/ws`,
    );
  });
});
