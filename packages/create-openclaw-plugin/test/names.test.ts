import { readFile } from 'node:fs/promises';
import {
  ACTION_NAME_PATTERN as CORE_ACTION,
  PLATFORMS as CORE_PLATFORMS,
  PLUGIN_NAME_PATTERN as CORE_PLUGIN,
} from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import {
  ACTION_NAME_PATTERN,
  PLATFORMS,
  PLUGIN_NAME_PATTERN,
  SDK_PACKAGE_VERSION,
  derivePluginName,
  parsePlatforms,
  validatePackageName,
  validateSdkRange,
} from '../src/index.js';

describe('names', () => {
  it('keeps its copies of the core patterns and platforms equal to core', () => {
    expect(PLUGIN_NAME_PATTERN).toBe(CORE_PLUGIN);
    expect(ACTION_NAME_PATTERN).toBe(CORE_ACTION);
    expect(PLATFORMS).toEqual(CORE_PLATFORMS);
  });

  it('writes plugins for the SDK version in the workspace', async () => {
    const sdk = JSON.parse(
      await readFile(new URL('../../plugin-sdk/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(SDK_PACKAGE_VERSION).toBe(sdk.version);
  });

  it.each(['houdini', '@studio/openclaw-plugin-houdini', 'deadline-submit', 'a.b_c', '@s/x'])(
    'accepts the package name %s',
    (name) => {
      expect(validatePackageName(name)).toBe(name);
    },
  );

  it.each([
    ['', 'it is empty'],
    [' houdini', 'leading or trailing spaces'],
    ['Houdini', 'lower-case'],
    ['.houdini', 'cannot start with "." or "_"'],
    ['@studio/_x', 'cannot start with "." or "_"'],
    ['@studio', 'a scoped name has the form @scope/name'],
    ['hou dini', 'URL-safe'],
    ['houdini!', "cannot contain ~ ' ! ( ) *"],
    ['fs', 'Node.js core module'],
    ['node_modules', 'reserved'],
    ['x'.repeat(215), 'longer than 214'],
  ])('rejects the package name %j (%s)', (name, why) => {
    expect(() => validatePackageName(name)).toThrow(why);
  });

  it.each([
    ['houdini', 'houdini'],
    ['@studio/openclaw-plugin-houdini', 'houdini'],
    ['openclaw-node-plugin-rv-tools', 'rv-tools'],
    ['deadline-openclaw-plugin', 'deadline'],
    ['studio.tools_v2', 'studio-tools-v2'],
    ['2d-tracker', 'd-tracker'],
    ['openclaw-plugin-', 'openclaw-plugin'],
  ])('derives the plugin name of %s: %s', (pkg, plugin) => {
    expect(derivePluginName(pkg)).toBe(plugin);
    expect(new RegExp(CORE_PLUGIN).test(plugin)).toBe(true);
  });

  it('asks for --plugin-name when none can be derived', () => {
    expect(() => derivePluginName('1234')).toThrow('give one with --plugin-name');
  });

  it('reads platform lists with aliases, in a fixed order', () => {
    expect(parsePlatforms('linux, win32')).toEqual(['windows', 'linux']);
    expect(parsePlatforms('macos')).toEqual(['darwin']);
    expect(parsePlatforms('all')).toEqual(['windows', 'darwin', 'linux']);
    expect(() => parsePlatforms(',')).toThrow('name at least one platform');
  });

  it.each([
    '^0.1.0',
    '~1.2.3',
    '1.x',
    '>=1.0.0 <2.0.0',
    '1.0.0 - 1.5.0',
    'latest',
    '*',
    'file:../sdk',
    'workspace:*',
  ])('accepts the SDK range %s', (range) => {
    expect(validateSdkRange(range)).toBe(range);
  });
});
