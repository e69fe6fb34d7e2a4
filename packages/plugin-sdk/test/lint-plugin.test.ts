import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPlugin, resolvePluginEntry } from '../src/lint/index.js';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));
let root: string;

/** A plugin package in a temp folder; the SDK resolves through the repo's node_modules. */
async function writePackage(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  await symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'junction');
  return dir;
}

const pkg = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: 'openclaw-plugin-hello',
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    files: ['dist'],
    scripts: { build: 'tsc' },
    dependencies: { '@openclaw-node/plugin-sdk': '^0.1.0' },
    openclaw: { plugin: 'hello' },
    ...extra,
  });

const plugin = (body = '') => `
import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
const empty = { type: 'object', additionalProperties: false, properties: {} };
export default definePlugin({
  name: 'hello',
  version: '1.0.0',
  description: 'Says hello',
  platforms: ['linux'],
  actions: {
    ping: defineAction({ description: 'Ping', params: empty, result: { type: 'object' }, run: () => ({}) }),
    ${body}
  },
});
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'openclaw-lint-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('lintPlugin', () => {
  it('loads a built package through its exports and finds nothing wrong', async () => {
    const dir = await writePackage('good', { 'package.json': pkg(), 'dist/index.js': plugin() });
    expect(await lintPlugin(dir)).toEqual([]);
    expect((await resolvePluginEntry(dir)).entry).toBe(path.join(dir, 'dist/index.js'));
  });

  it('points messages at src/index.ts when the package keeps its sources beside dist/', async () => {
    const body = `say: defineAction({ description: 'Say', params: { type: 'object', properties: { script: { type: 'string', description: 'A script' } } }, run: () => ({}) }),`;
    const dir = await writePackage('with-src', {
      'package.json': pkg(),
      'dist/index.js': plugin(body),
      'src/index.ts': '// the source',
    });
    const messages = await lintPlugin(dir);
    expect(messages.map((m) => [path.relative(dir, m.file), m.level, m.rule, m.field])).toEqual([
      ['src/index.ts', 'error', 'additional-properties', 'actions.say.params'],
      ['src/index.ts', 'error', 'path-format', 'actions.say.params.properties.script'],
      ['src/index.ts', 'warning', 'result-schema', 'actions.say.result'],
    ]);
  });

  it('loads a TypeScript file given directly', async () => {
    const dir = await writePackage('ts-file', {
      'plugin.ts': plugin().replace(
        'const empty =',
        "const empty: { type: 'object'; additionalProperties: false; properties: {} } =",
      ),
    });
    expect(await lintPlugin(path.join(dir, 'plugin.ts'))).toEqual([]);
  });

  it('falls back to main when there are no exports', async () => {
    const dir = await writePackage('main', {
      'package.json': JSON.stringify({
        name: 'x',
        type: 'module',
        main: 'lib/plugin.js',
        dependencies: { '@openclaw-node/plugin-sdk': '*' },
      }),
      'lib/plugin.js': plugin(),
    });
    expect(await lintPlugin(dir)).toEqual([]);
  });

  it('says to build first when the entry does not exist yet', async () => {
    const dir = await writePackage('unbuilt', { 'package.json': pkg() });
    expect(await lintPlugin(dir)).toEqual([
      {
        level: 'error',
        rule: 'load',
        file: path.join(dir, 'package.json'),
        field: 'exports',
        message:
          'package.json exports points at ./dist/index.js, which does not exist: build the package first (npm run build)',
      },
    ]);
  });

  it('reports a folder without package.json, a missing path and an import that throws', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    expect((await lintPlugin(empty))[0]).toMatchObject({
      rule: 'load',
      field: 'package.json',
      message: expect.stringContaining('has no package.json'),
    });
    expect((await lintPlugin(path.join(root, 'nope')))[0]).toMatchObject({
      rule: 'load',
      message: expect.stringContaining('does not exist'),
    });
    const dir = await writePackage('throws', {
      'package.json': pkg(),
      'dist/index.js': `throw new Error('boom at load');`,
    });
    expect((await lintPlugin(dir))[0]).toMatchObject({
      rule: 'load',
      field: 'module',
      message: expect.stringContaining('boom at load'),
    });
  });

  it('reports a plugin that is not the default export, or no plugin at all', async () => {
    const named = await writePackage('named', {
      'package.json': pkg(),
      'dist/index.js': plugin().replace('export default', 'export const hello ='),
    });
    expect((await lintPlugin(named))[0]).toMatchObject({
      rule: 'load',
      field: 'default',
      message: expect.stringContaining('the plugin is the export "hello"'),
    });
    const none = await writePackage('none', {
      'package.json': pkg(),
      'dist/index.js': 'export default { name: "hello" };',
    });
    expect((await lintPlugin(none))[0]).toMatchObject({
      message: 'the default export is not a plugin made with definePlugin() from @openclaw-node/plugin-sdk',
    });
  });

  it('checks package.json: the declared plugin name, the SDK dependency and the published files', async () => {
    const dir = await writePackage('bad-package', {
      'package.json': pkg({
        openclaw: { plugin: 'hullo' },
        dependencies: {},
        devDependencies: { '@openclaw-node/plugin-sdk': '*' },
        files: ['lib'],
      }),
      'dist/index.js': plugin(),
    });
    const file = path.join(dir, 'package.json');
    expect((await lintPlugin(dir)).map((m) => [m.file, m.level, m.field])).toEqual([
      [file, 'error', 'openclaw.plugin'],
      [file, 'warning', 'dependencies'],
      [file, 'warning', 'files'],
    ]);
  });
});
