import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findTemplateDir, scaffoldPlugin, type PluginAnswers } from '../src/index.js';

let dir: string;
const answers = (): PluginAnswers => ({
  packageName: '@studio/openclaw-plugin-rv-tools',
  pluginName: 'rv-tools',
  description: "RV's review tools",
  platforms: ['darwin'],
  action: 'open_session',
  params: [{ name: 'session_file', type: 'path', array: false, required: true }],
  app: 'rv',
  sdkVersion: '^0.1.0',
  targetDir: dir,
  force: false,
});

beforeEach(async () => {
  dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'create-openclaw-plugin-scaffold-')), 'out');
});

afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe('scaffoldPlugin', () => {
  it('finds the template beside the sources', () => {
    expect(findTemplateDir()).toBe(path.resolve(import.meta.dirname, '../template'));
  });

  it('writes every file, dotfiles renamed, placeholders filled', async () => {
    const result = await scaffoldPlugin(answers());
    expect(result.files).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/index.ts',
      'test/index.test.ts',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
    for (const file of result.files)
      expect(await readFile(path.join(dir, file), 'utf8')).not.toMatch(/\{\{\w+\}\}/);
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('# @studio/openclaw-plugin-rv-tools');
    expect(readme).toContain('| `rv-tools.open_session` | runs `rv`');
    expect(readme).toContain('plugins: [explorer, "@studio/openclaw-plugin-rv-tools"]');
    expect(readme).toContain('optional; otherwise $RV_EXE, then PATH');
    expect(readme).toContain(`"params":{"session_file":"/projects/show/session_file"}`);
  });

  it('shows an agent config in the README that is valid YAML', async () => {
    await scaffoldPlugin(answers());
    const readme = await readFile(path.join(dir, 'README.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(parse(block!)).toEqual({
      plugins: ['explorer', '@studio/openclaw-plugin-rv-tools'],
      allowed_paths: ['/mnt/projects'],
      plugin_config: { 'rv-tools': { path: '/opt/rv/bin/rv' } },
    });
  });

  it('writes a package.json an agent can import: ESM, exports, types, engines, scripts', async () => {
    await scaffoldPlugin(answers());
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      main: './dist/index.js',
      files: ['dist'],
      engines: { node: '>=20' },
      scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run', typecheck: 'tsc --noEmit' },
      dependencies: { '@openclaw-node/plugin-sdk': '^0.1.0' },
      devDependencies: { typescript: '~5.9.3', vitest: '^4.0.0' },
    });
  });

  it('escapes quotes in generated string literals', async () => {
    await scaffoldPlugin(answers());
    expect(await readFile(path.join(dir, 'src/index.ts'), 'utf8')).toContain(
      `description: 'RV\\'s review tools',`,
    );
  });
});
