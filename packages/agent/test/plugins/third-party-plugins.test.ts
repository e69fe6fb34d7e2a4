import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecAck } from '@openclaw-node/core';
import {
  createExecutor,
  createPathGuard,
  createPluginSources,
  findUnusedPluginConfig,
  loadPluginCatalog,
  type PluginCatalog,
} from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';
import {
  buildStudioTools,
  linkOpenClawPackages,
  pluginCode,
  writeFiles,
  writePluginPackage,
} from './support/plugin-packages.js';

const logger = pino({ level: 'silent' });
let tmp: string;
/** A plugin_dirs folder holding package folders directly (`<dir>/<package>`). */
let pluginDir: string;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-plugins-')));
  pluginDir = path.join(tmp, 'plugin-dir');
  await mkdir(pluginDir);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Load entries with the agent's own sources; nothing beside the agent's install is searched. */
function load(entries: string[], pluginDirs: string[] = [pluginDir]): Promise<PluginCatalog> {
  return loadPluginCatalog({
    entries,
    sources: createPluginSources({ registry: testRegistry, pluginDirs, searchFrom: [] }),
    platform: 'linux',
    logger,
  });
}

async function run(catalog: PluginCatalog, action: string, pluginConfig = {}): Promise<ExecAck> {
  const executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [tmp], platform: 'linux' }),
    pluginConfig,
    platform: 'linux',
    logger,
    emitProgress: () => undefined,
  });
  return executor.execute({ jobId: `job-${action}`, action, params: {}, timeoutMs: 10_000 });
}

describe('third-party plugins: where they load from', () => {
  it('loads the example plugin, built, from its package folder by path', async () => {
    const dir = await buildStudioTools(path.join(tmp, 'studio-tools'));
    const catalog = await load([dir]);
    expect(catalog.skipped).toEqual([]);
    const plugin = catalog.plugins.get('studio-tools')!;
    expect(plugin).toMatchObject({ entry: dir, from: path.join(dir, 'dist/index.js') });
    expect(Object.keys(plugin.manifest.actions).sort()).toEqual(['checksum_sequence', 'make_proxy', 'ping']);
    expect(plugin.manifest.actions.ping!.result).toMatchObject({ required: expect.arrayContaining(['ok']) });
    const ack = await run(catalog, 'studio-tools.ping');
    expect(ack).toMatchObject({ ok: true, result: { ok: true, plugin: 'studio-tools', platform: 'linux' } });
  }, 60_000);

  it('loads a package folder and a module file given as absolute paths', async () => {
    const folder = await writePluginPackage(
      path.join(tmp, 'by-path'),
      'openclaw-plugin-folder',
      pluginCode({ name: 'folder' }),
      {
        link: true,
      },
    );
    const file = path.join(tmp, 'by-path/single.js');
    await writeFiles(tmp, { 'by-path/single.js': pluginCode({ name: 'single' }) });
    const catalog = await load([folder, file]);
    expect(catalog.skipped).toEqual([]);
    expect([...catalog.plugins.values()].map((p) => [p.name, p.entry, p.from])).toEqual([
      ['folder', folder, path.join(folder, 'dist/index.js')],
      ['single', file, file],
    ]);
  });

  it('loads npm packages, plain and scoped, from a plugin_dirs folder by package name', async () => {
    await writePluginPackage(
      path.join(pluginDir, 'openclaw-plugin-greeter'),
      'openclaw-plugin-greeter',
      pluginCode({ name: 'greeter' }),
      {
        link: true,
      },
    );
    await writePluginPackage(
      path.join(pluginDir, '@studio/openclaw-plugin-houdini'),
      '@studio/openclaw-plugin-houdini',
      pluginCode({ name: 'houdini', version: '2.1.0' }),
      { link: true },
    );
    const catalog = await load(['openclaw-plugin-greeter', '@studio/openclaw-plugin-houdini']);
    expect(catalog.skipped).toEqual([]);
    expect(catalog.manifests.map((m) => `${m.name}@${m.version}`)).toEqual([
      'greeter@1.0.0',
      'houdini@2.1.0',
    ]);
    expect(catalog.plugins.get('houdini')!.from).toBe(
      path.join(pluginDir, '@studio/openclaw-plugin-houdini/dist/index.js'),
    );
  });

  it('prefers a built-in plugin to a package of the same name', async () => {
    await writePluginPackage(path.join(pluginDir, 'demo'), 'demo', pluginCode({ name: 'demo' }), {
      link: true,
    });
    const catalog = await load(['demo']);
    expect(catalog.plugins.get('demo')!.from).toBe('built-in plugins');
  });

  it('hands a package plugin the plugin_config section of its plugin name, not of its entry', async () => {
    await writePluginPackage(
      path.join(pluginDir, '@studio/openclaw-plugin-nuke-tools'),
      '@studio/openclaw-plugin-nuke-tools',
      pluginCode({ name: 'nuke-tools' }),
      { link: true },
    );
    const catalog = await load(['@studio/openclaw-plugin-nuke-tools']);
    const pluginConfig = {
      'nuke-tools': { threads: 8 },
      '@studio/openclaw-plugin-nuke-tools': { threads: 1 },
    };
    expect(await run(catalog, 'nuke-tools.hello', pluginConfig)).toEqual({
      ok: true,
      result: { greeting: 'hello world', config: { threads: 8 } },
    });
    expect(findUnusedPluginConfig(catalog, pluginConfig)).toEqual([
      'plugin_config.@studio/openclaw-plugin-nuke-tools is set but no plugin named "@studio/openclaw-plugin-nuke-tools" is loaded (loaded: nuke-tools), so it is not used; plugin_config is keyed by plugin name, not by the plugins entry',
    ]);
  });

  it('checks results against the result schema the plugin declares', async () => {
    const catalog = await load(['openclaw-plugin-greeter']);
    const ack = await run(catalog, 'greeter.broken');
    expect(ack).toMatchObject({
      ok: false,
      error: { code: 'INVALID_RESULT', details: { field: 'result.count' } },
    });
  });
});

describe('third-party plugins: what is refused, and why', () => {
  it('refuses a plugin built for another SDK major version, naming both versions', async () => {
    const dir = await writePluginPackage(
      path.join(pluginDir, 'openclaw-plugin-future'),
      'openclaw-plugin-future',
      pluginCode({ name: 'future', after: "sdk: '2.3.0'" }),
      { link: true },
    );
    const catalog = await load(['openclaw-plugin-future']);
    expect(catalog.plugins.size).toBe(0);
    expect(catalog.skipped).toEqual([
      {
        entry: 'openclaw-plugin-future',
        name: 'future',
        code: 'PLUGIN_LOAD_FAILED',
        reason: `plugin openclaw-plugin-future (${dir}/dist/index.js) was built with plugin SDK 2.3.0, but this agent has plugin SDK 1.0.0 (the major versions must match): install a plugin version built for SDK 1.x or a matching agent`,
      },
    ]);
  });

  it('refuses a second plugin with a name already loaded, naming both sources', async () => {
    const copy = await writePluginPackage(
      path.join(tmp, 'greeter-copy'),
      'greeter-copy',
      pluginCode({ name: 'greeter' }),
      {
        link: true,
      },
    );
    const catalog = await load(['openclaw-plugin-greeter', copy]);
    expect([...catalog.plugins.keys()]).toEqual(['greeter']);
    expect(catalog.skipped).toEqual([
      {
        entry: copy,
        name: copy,
        code: 'PLUGIN_LOAD_FAILED',
        reason: `plugin ${copy} (${copy}/dist/index.js) is named "greeter", like the plugin already loaded from "openclaw-plugin-greeter" (${pluginDir}/openclaw-plugin-greeter/dist/index.js): two plugins cannot share a name, so only the first is loaded`,
      },
    ]);
  });

  it('refuses an invalid manifest, naming the plugin and the field', async () => {
    const dir = await writePluginPackage(
      path.join(tmp, 'bad-platform'),
      'bad-platform',
      pluginCode({ name: 'winplug', after: "platforms: ['win32']" }),
      { link: true },
    );
    const catalog = await load([dir]);
    expect(catalog.skipped).toEqual([
      {
        entry: dir,
        name: 'winplug',
        code: 'PLUGIN_LOAD_FAILED',
        reason: `plugin ${dir} (${dir}/dist/index.js) has an invalid manifest: manifest.platforms[0] must be one of ["windows","darwin","linux"]`,
      },
    ]);
  });

  it('refuses a module whose default export is not a plugin, and says what to export', async () => {
    await writeFiles(tmp, {
      'modules/object.js': 'export default { name: "hello", actions: {} };',
      'modules/named.js': pluginCode({ exportLine: 'export { plugin as helloPlugin };' }),
      'modules/none.js': 'export const answer = 42;',
    });
    await linkOpenClawPackages(path.join(tmp, 'modules'));
    const [object, named, none] = ['object', 'named', 'none'].map((n) => path.join(tmp, `modules/${n}.js`));
    const catalog = await load([object!, named!, none!]);
    expect(catalog.plugins.size).toBe(0);
    expect(catalog.skipped.map((s) => s.reason)).toEqual([
      `plugin ${object} could not be loaded: the default export of ${object} is an object, not a plugin made with definePlugin() from @openclaw-node/plugin-sdk`,
      `plugin ${named} could not be loaded: ${named} exports the plugin as "helloPlugin", but the agent takes the default export: add export default helloPlugin`,
      `plugin ${none} could not be loaded: ${none} has no default export: write export default definePlugin({ … }) from @openclaw-node/plugin-sdk`,
    ]);
  });

  it('says where it looked for a package that is not installed, and how to write a path', async () => {
    const missingDir = path.join(tmp, 'nowhere');
    const catalog = await load(
      ['openclaw-plugin-nope', './plugins/mine', path.join(tmp, 'missing')],
      [missingDir],
    );
    expect(catalog.skipped).toEqual([
      {
        entry: 'openclaw-plugin-nope',
        name: 'openclaw-plugin-nope',
        code: 'PLUGIN_NOT_FOUND',
        reason: `no plugin is named "openclaw-plugin-nope" (available: badmanifest, demo, fake, future, impostor, winonly); no package "openclaw-plugin-nope" is installed beside the agent (not searched) or in plugin_dirs (${missingDir}): install it there, or add the folder that holds it to plugin_dirs`,
      },
      {
        entry: './plugins/mine',
        name: './plugins/mine',
        code: 'PLUGIN_NOT_FOUND',
        reason: expect.stringContaining(
          '"./plugins/mine" is a relative path: write the plugin\'s folder or file as an absolute path',
        ),
      },
      {
        entry: path.join(tmp, 'missing'),
        name: path.join(tmp, 'missing'),
        code: 'PLUGIN_LOAD_FAILED',
        reason: `plugin ${path.join(tmp, 'missing')} could not be loaded: ${path.join(tmp, 'missing')} does not exist`,
      },
    ]);
  });

  it('keeps a skipped entry within the limits of the hello schema', async () => {
    const long = path.join(tmp, 'x'.repeat(200));
    const catalog = await load([long]);
    expect(catalog.skipped[0]!.entry).toBe(long);
    expect(catalog.skipped[0]!.name.length).toBeLessThanOrEqual(128);
  });
});
