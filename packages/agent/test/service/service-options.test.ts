import { describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import {
  describeAgentExitCode,
  NO_RESTART_EXIT_CODES,
  planServiceInstall,
  SERVICE_EXIT_CODES,
  supervisedExitCode,
  type PlanServiceOptions,
} from '../../src/service/index.js';
import { awkwardOptions } from './helpers.js';

function fieldOf(options: PlanServiceOptions): unknown {
  try {
    planServiceInstall(options);
  } catch (error) {
    if (isOpenClawError(error) && error.code === 'SERVICE_OPTIONS_INVALID') return error.details?.field;
    throw error;
  }
  return undefined;
}

describe('planServiceInstall options', () => {
  it.each([
    ['a relative agent entry', { agentEntry: 'dist/bin.js' }, 'agentEntry'],
    ['an empty config path', { configPath: '' }, 'configPath'],
    ['a config path with a newline', { configPath: '/home/ana/a\nb.yaml' }, 'configPath'],
    ['a relative node', { nodeExecutable: 'node' }, 'nodeExecutable'],
    ['a relative log folder', { logDir: 'logs' }, 'logDir'],
    ['a unit name with a slash', { label: 'a/b' }, 'label'],
    ['a unit name with .service', { label: 'openclaw-agent.service' }, 'label'],
    ['an invalid variable name', { env: { 'BAD-NAME': 'x' } }, 'env.BAD-NAME'],
    ['a secret in the environment', { env: { OPENCLAW_NODE_TOKEN: 's3cret' } }, 'env.OPENCLAW_NODE_TOKEN'],
    ['a multi-line variable', { env: { OPENCLAW_LOG_LEVEL: 'a\nb' } }, 'env.OPENCLAW_LOG_LEVEL'],
    ['an unknown session target', { sessionTarget: 'graphical' as never }, 'sessionTarget'],
  ])('rejects %s, naming the field', (_name, override, field) => {
    expect(fieldOf({ ...awkwardOptions('linux'), ...override })).toBe(field);
  });

  it('rejects an unknown platform', () => {
    expect(fieldOf({ ...awkwardOptions('linux'), platform: 'freebsd' as never })).toBe('platform');
  });

  it('needs a numeric uid on macOS', () => {
    expect(fieldOf({ ...awkwardOptions('darwin'), uid: -1 })).toBe('uid');
  });

  it('rejects Windows paths that are not absolute, and task names with reserved characters', () => {
    expect(fieldOf({ ...awkwardOptions('windows'), configPath: '\\cfg\\node_config.yaml' })).toBe(
      'configPath',
    );
    expect(fieldOf({ ...awkwardOptions('windows'), label: 'OpenClaw: Agent' })).toBe('label');
    expect(fieldOf({ ...awkwardOptions('windows'), user: 'a"b' })).toBe('user');
    expect(
      fieldOf({ ...awkwardOptions('windows'), agentEntry: '\\\\fileserver\\tools\\openclaw\\bin.js' }),
    ).toBe(undefined);
  });

  it('says how to fix a secret in the environment', () => {
    expect(() => planServiceInstall({ ...awkwardOptions('linux'), env: { API_KEY: 'x' } })).toThrow(
      /env\.API_KEY: .*node_config\.yaml \(chmod 600\)/,
    );
  });

  it('normalises paths', () => {
    const plan = planServiceInstall({
      ...awkwardOptions('linux'),
      agentEntry: '/opt/openclaw/./agent/../agent/bin.js',
    });
    expect(plan.agentArgv[1]).toBe('/opt/openclaw/agent/bin.js');
  });
});

describe('agent exit codes', () => {
  it('keeps the codes the service definitions rely on', () => {
    expect(SERVICE_EXIT_CODES).toEqual({
      OK: 0,
      FAILURE: 1,
      CONFIG_INVALID: 2,
      AUTH_REJECTED: 3,
      NODE_REPLACED: 4,
    });
    expect(NO_RESTART_EXIT_CODES).toEqual([2, 3, 4]);
  });

  it('turns permanent exits into 0 only under launchd', () => {
    const launchd = { OPENCLAW_AGENT_SUPERVISOR: 'launchd' };
    expect(supervisedExitCode(SERVICE_EXIT_CODES.NODE_REPLACED, launchd)).toBe(0);
    expect(supervisedExitCode(SERVICE_EXIT_CODES.FAILURE, launchd)).toBe(1);
    expect(
      supervisedExitCode(SERVICE_EXIT_CODES.AUTH_REJECTED, { OPENCLAW_AGENT_SUPERVISOR: 'systemd' }),
    ).toBe(3);
    expect(supervisedExitCode(SERVICE_EXIT_CODES.CONFIG_INVALID, {})).toBe(2);
  });

  it('describes each code for status output', () => {
    expect(describeAgentExitCode(4)).toMatch(/same node_id/);
    expect(describeAgentExitCode(2)).toMatch(/node_config\.yaml/);
    expect(describeAgentExitCode(137)).toBe('exited with code 137');
  });
});
