import { describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import { resolveAgentConfig } from '../../src/index.js';

const base = { node_id: 'ws-042', server_url: 'ws://pipeline-server:8765/ws', auth_token: 'tok' };

function messageFor(raw: unknown): { message: string; field: unknown } {
  try {
    resolveAgentConfig(raw, { env: {}, onWarning: () => undefined });
  } catch (error) {
    if (isOpenClawError(error) && error.code === 'CONFIG_INVALID')
      return { message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('resolveAgentConfig', () => {
  it('fills in defaults', () => {
    const config = resolveAgentConfig(
      { server_url: 'http://s:8765', auth_token: 't', allowed_paths: null, plugins: null },
      { env: {}, hostname: 'WS-042.studio.lan' },
    );
    expect(config).toEqual({
      node_id: 'ws-042.studio.lan',
      server_url: 'http://s:8765',
      auth_token: 't',
      plugins: [],
      plugin_dirs: [],
      allowed_paths: [],
      plugin_config: {},
      heartbeat_interval: 30,
      health_interval: 300,
      max_concurrent_jobs: 4,
      max_queued_jobs: 32,
      tags: [],
    });
  });

  it('treats an empty plugin_config section as empty settings', () => {
    const config = resolveAgentConfig({ ...base, plugins: ['rv'], plugin_config: { rv: null } }, { env: {} });
    expect(config.plugin_config).toEqual({ rv: {} });
  });

  it.each([
    [
      { ...base, server_url: 'pipeline-server:8765' },
      'server_url',
      'node_config.yaml: server_url must be a ws://, wss://, http:// or https:// URL, e.g. ws://pipeline-server:8765/ws',
    ],
    [
      { ...base, server_url: 'ftp://s/ws' },
      'server_url',
      'node_config.yaml: server_url must be a ws://, wss://, http:// or https:// URL, e.g. ws://pipeline-server:8765/ws',
    ],
    [
      { ...base, server_url: 'ws://user:pw@s:8765/ws' },
      'server_url',
      'node_config.yaml: server_url must not contain a user name or password: put the token in auth_token, e.g. ws://pipeline-server:8765/ws',
    ],
    [
      { node_id: 'a', auth_token: 't' },
      'server_url',
      'node_config.yaml: server_url is required; e.g. server_url: ws://pipeline-server:8765/ws',
    ],
    [
      { ...base, auth_token: undefined },
      'auth_token',
      'node_config.yaml: auth_token is required; set auth_token to the token the server gave this node, e.g. auth_token: ${OPENCLAW_NODE_TOKEN} to read it from the environment',
    ],
    [
      { ...base, auth_token: '' },
      'auth_token',
      'node_config.yaml: auth_token must not be empty; set auth_token to the token the server gave this node, e.g. auth_token: ${OPENCLAW_NODE_TOKEN} to read it from the environment',
    ],
    [
      { ...base, node_id: 42 },
      'node_id',
      'node_config.yaml: node_id must be a string (put quotes around it), got 42; node_id names this workstation: 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. node_id: ws-042',
    ],
    [
      { ...base, node_id: 'ws 042' },
      'node_id',
      'node_config.yaml: node_id has characters that are not allowed, got "ws 042"; node_id names this workstation: 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, e.g. node_id: ws-042',
    ],
    [
      { ...base, plugins: 'rv' },
      'plugins',
      'node_config.yaml: plugins must be a list, got "rv"; plugins is a list of built-in plugin names, npm package names or absolute paths, e.g. plugins: [explorer, rv, "@studio/openclaw-plugin-houdini"]',
    ],
    [
      { ...base, plugins: ['rv', 3] },
      'plugins[1]',
      'node_config.yaml: plugins[1] must be a string (put quotes around it), got 3; plugins is a list of built-in plugin names, npm package names or absolute paths, e.g. plugins: [explorer, rv, "@studio/openclaw-plugin-houdini"]',
    ],
    [
      { ...base, allowed_paths: '/mnt' },
      'allowed_paths',
      'node_config.yaml: allowed_paths must be a list, got "/mnt"; allowed_paths is a list of absolute folders, e.g. allowed_paths: [/mnt/projects] or ["P:\\\\projects"]',
    ],
    [
      { ...base, allowed_paths: ['/mnt', 'projects'] },
      'allowed_paths[1]',
      'node_config.yaml: allowed_paths[1] must be an absolute path, got "projects"; allowed_paths is a list of absolute folders, e.g. allowed_paths: [/mnt/projects] or ["P:\\\\projects"]',
    ],
    [
      { ...base, allowed_paths: ['-rf'] },
      'allowed_paths[0]',
      'node_config.yaml: allowed_paths[0] must be an absolute path, got "-rf"; allowed_paths is a list of absolute folders, e.g. allowed_paths: [/mnt/projects] or ["P:\\\\projects"]',
    ],
    [
      { ...base, plugin_dirs: ['/opt/openclaw-plugins', 'plugins'] },
      'plugin_dirs[1]',
      'node_config.yaml: plugin_dirs[1] must be an absolute path, got "plugins"; plugin_dirs is a list of absolute folders holding plugin packages, e.g. plugin_dirs: [/opt/openclaw-plugins]',
    ],
    [
      { ...base, plugin_dirs: '/opt/openclaw-plugins' },
      'plugin_dirs',
      'node_config.yaml: plugin_dirs must be a list, got "/opt/openclaw-plugins"; plugin_dirs is a list of absolute folders holding plugin packages, e.g. plugin_dirs: [/opt/openclaw-plugins]',
    ],
    [
      { ...base, plugin_config: { rv: 'path' } },
      'plugin_config.rv',
      'node_config.yaml: plugin_config.rv must be a mapping, got "path"; plugin_config maps a plugin name to its settings, e.g. plugin_config: { rv: { path: /opt/rv/bin/rv } }',
    ],
    [
      { ...base, heartbeat_interval: '30s' },
      'heartbeat_interval',
      'node_config.yaml: heartbeat_interval must be a number, got "30s"; heartbeat_interval is a number of seconds, e.g. heartbeat_interval: 30',
    ],
    [
      { ...base, heartbeat_interval: 0 },
      'heartbeat_interval',
      'node_config.yaml: heartbeat_interval must be > 0, got 0; heartbeat_interval is a number of seconds, e.g. heartbeat_interval: 30',
    ],
    [
      { ...base, tags: ['comp', 'has space'] },
      'tags[1]',
      'node_config.yaml: tags[1] has characters that are not allowed, got "has space"; tags is a list of short labels (letters, digits, ".", "_", ":", "/", "=", "-"), e.g. tags: [comp, gpu]',
    ],
    [
      { ...base, max_concurrent_jobs: 0 },
      'max_concurrent_jobs',
      'node_config.yaml: max_concurrent_jobs must be >= 1, got 0; max_concurrent_jobs is how many jobs run at once on this node, a whole number from 1 to 64, e.g. max_concurrent_jobs: 4',
    ],
    [
      { ...base, max_concurrent_jobs: 2.5 },
      'max_concurrent_jobs',
      'node_config.yaml: max_concurrent_jobs must be a whole number, got 2.5; max_concurrent_jobs is how many jobs run at once on this node, a whole number from 1 to 64, e.g. max_concurrent_jobs: 4',
    ],
    [
      { ...base, max_queued_jobs: 1001 },
      'max_queued_jobs',
      'node_config.yaml: max_queued_jobs must be <= 1000, got 1001; max_queued_jobs is how many more jobs may wait for a free slot, a whole number from 0 to 1000, e.g. max_queued_jobs: 32',
    ],
  ])('explains a bad field in one message (%#)', (raw, field, message) => {
    expect(messageFor(raw)).toEqual({ message, field });
  });

  it('reads the job limits, 0 queued jobs included', () => {
    expect(resolveAgentConfig({ ...base, max_concurrent_jobs: 1, max_queued_jobs: 0 })).toMatchObject({
      max_concurrent_jobs: 1,
      max_queued_jobs: 0,
    });
  });

  it('never echoes the token in an error', () => {
    const { message } = messageFor({ ...base, auth_token: 12345678 });
    expect(message).toContain('auth_token must be a string');
    expect(message).not.toContain('12345678');
  });

  it('uses the source name in messages', () => {
    try {
      resolveAgentConfig({ auth_token: 't' }, { source: '/etc/openclaw-node/node_config.yaml', env: {} });
    } catch (error) {
      expect(isOpenClawError(error) && error.message).toMatch(
        /^\/etc\/openclaw-node\/node_config.yaml: server_url is required/,
      );
      expect(isOpenClawError(error) && error.details).toEqual({
        field: 'server_url',
        file: '/etc/openclaw-node/node_config.yaml',
      });
      return;
    }
    throw new Error('expected CONFIG_INVALID');
  });

  it('warns about duplicate plugins, and leaves plugin_config keys to be checked once plugins load', () => {
    const warnings: string[] = [];
    const config = resolveAgentConfig(
      {
        ...base,
        plugins: ['rv', 'rv', '@studio/openclaw-plugin-houdini'],
        plugin_config: { houdini: { hython: '/opt/hfs/bin/hython' } },
      },
      { env: {}, onWarning: (m) => warnings.push(m) },
    );
    expect(config.plugins).toEqual(['rv', '@studio/openclaw-plugin-houdini']);
    expect(config.plugin_config).toEqual({ houdini: { hython: '/opt/hfs/bin/hython' } });
    expect(warnings).toEqual(['node_config.yaml: plugin "rv" is listed twice in plugins; it is loaded once']);
  });

  it('takes plugin_dirs written for any OS', () => {
    const config = resolveAgentConfig(
      { ...base, plugin_dirs: ['/opt/openclaw-plugins', 'C:\\openclaw\\plugins'], plugin_config: null },
      { env: {} },
    );
    expect(config.plugin_dirs).toEqual(['/opt/openclaw-plugins', 'C:\\openclaw\\plugins']);
  });

  it('accepts allowed_paths written for Windows, macOS and Linux in one shared file', () => {
    const config = resolveAgentConfig(
      { ...base, allowed_paths: ['/mnt/projects', 'P:\\', '\\\\fileserver\\projects'] },
      { env: {} },
    );
    expect(config.allowed_paths).toHaveLength(3);
  });
});
