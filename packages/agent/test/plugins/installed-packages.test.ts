import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  linkOpenClawPackages,
  pluginCode,
  writePluginPackage,
} from './support/plugin-packages.js';

// Packages under node_modules are imported by Node itself, not by vitest's transform, so these
// cases run the catalog in a child process with Node's resolution (tsx only to load our sources).
const PRINT_CATALOG = path.join(REPO_ROOT, 'packages/agent/test/plugins/support/print-catalog.ts');

interface Printed {
  plugins: { name: string; version: string; from: string }[];
  skipped: { entry: string; name: string; reason: string }[];
}

async function loadInChild(options: {
  entries: string[];
  pluginDirs: string[];
  searchFrom: string[];
}): Promise<Printed> {
  const { stdout } = await execa(
    process.execPath,
    ['--import', 'tsx', '--conditions=@openclaw-node/source', PRINT_CATALOG, JSON.stringify(options)],
    { cwd: REPO_ROOT, timeout: 60_000 },
  );
  return JSON.parse(stdout) as Printed;
}

let tmp: string;
/** Like `npm i -g`: the agent and plugins side by side in one global node_modules. */
let globalModules: string;
let agentDist: string;
/** A plugin_dirs entry that holds a node_modules, like `npm install --prefix <dir>` makes. */
let studioPlugins: string;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-installed-')));
  globalModules = path.join(tmp, 'prefix/lib/node_modules');
  agentDist = path.join(globalModules, '@openclaw-node/cli/node_modules/@openclaw-node/agent/dist');
  studioPlugins = path.join(tmp, 'studio-plugins');
  await writePluginPackage(
    path.join(globalModules, 'openclaw-plugin-global'),
    'openclaw-plugin-global',
    pluginCode({ name: 'global' }),
  );
  await writePluginPackage(
    path.join(globalModules, 'openclaw-plugin-both'),
    'openclaw-plugin-both',
    pluginCode({ name: 'both', version: '1.0.0' }),
  );
  await linkOpenClawPackages(path.dirname(globalModules));
  await writePluginPackage(
    path.join(studioPlugins, 'node_modules/@studio/openclaw-plugin-houdini'),
    '@studio/openclaw-plugin-houdini',
    pluginCode({ name: 'houdini', version: '3.0.0' }),
  );
  await writePluginPackage(
    path.join(studioPlugins, 'node_modules/openclaw-plugin-both'),
    'openclaw-plugin-both',
    pluginCode({ name: 'both', version: '9.0.0' }),
  );
  await linkOpenClawPackages(studioPlugins);
}, 30_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('plugins installed as npm packages', () => {
  it('finds packages beside the agent install first, then in plugin_dirs/node_modules', async () => {
    const printed = await loadInChild({
      entries: ['openclaw-plugin-global', '@studio/openclaw-plugin-houdini', 'openclaw-plugin-both'],
      pluginDirs: [studioPlugins],
      searchFrom: [agentDist],
    });
    expect(printed.skipped).toEqual([]);
    expect(printed.plugins).toEqual([
      {
        name: 'global',
        version: '1.0.0',
        from: path.join(globalModules, 'openclaw-plugin-global/dist/index.js'),
      },
      {
        name: 'houdini',
        version: '3.0.0',
        from: path.join(studioPlugins, 'node_modules/@studio/openclaw-plugin-houdini/dist/index.js'),
      },
      {
        name: 'both',
        version: '1.0.0',
        from: path.join(globalModules, 'openclaw-plugin-both/dist/index.js'),
      },
    ]);
  }, 60_000);

  it('names every folder it searched when a package is not installed', async () => {
    const printed = await loadInChild({
      entries: ['@studio/openclaw-plugin-missing'],
      pluginDirs: [studioPlugins],
      searchFrom: [agentDist],
    });
    expect(printed.skipped).toEqual([
      {
        entry: '@studio/openclaw-plugin-missing',
        name: '@studio/openclaw-plugin-missing',
        code: 'PLUGIN_NOT_FOUND',
        reason: `no plugin is named "@studio/openclaw-plugin-missing" (available: none); no package "@studio/openclaw-plugin-missing" is installed beside the agent (${agentDist}/node_modules and up) or in plugin_dirs (${studioPlugins}): install it there, or add the folder that holds it to plugin_dirs`,
      },
    ]);
  }, 60_000);
});
