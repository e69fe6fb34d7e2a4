import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateManifest } from '@openclaw-node/core';
import { lintPlugin } from '@openclaw-node/plugin-sdk/lint';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_NODE_MODULES, TSX_CLI, ensureSdkBuilt } from './support/workspace.js';

// The proof that the template works: the real bin writes a package, and that package builds, passes
// its own tests and typechecks against the workspace SDK exactly as a published one would.
const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const PACKAGE = '@studio/openclaw-plugin-houdini';

let tmp: string;
let pkgDir: string;

/** The environment of the nested npm/vitest runs, without this vitest's own variables. */
const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    NO_COLOR: '1',
  };
  delete env.FORCE_COLOR;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  return env;
};

const npmRun = async (script: string) => {
  const result = await execa('npm', ['run', script], {
    cwd: pkgDir,
    env: childEnv(),
    extendEnv: false,
    reject: false,
    all: true,
  });
  expect(result.exitCode, `npm run ${script} failed:\n${result.all}`).toBe(0);
  // eslint-disable-next-line no-control-regex
  return result.all.replace(/\u001b\[[0-9;]*m/g, '');
};

beforeAll(async () => {
  await ensureSdkBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'create-openclaw-plugin-proof-'));
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a generated plugin package', () => {
  it('is written by the real bin', async () => {
    const result = await execa(
      process.execPath,
      [
        TSX_CLI,
        BIN,
        PACKAGE,
        '--yes',
        '--description',
        'Houdini batch tools',
        '--platforms',
        'linux,windows',
        '--action',
        'render',
        '--param',
        'scene:path',
        '--param',
        'frames:string,threads?:integer,verbose?:boolean,layers?:path[]',
        '--app',
        'hython',
      ],
      { cwd: tmp, reject: false },
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Next steps:');
    pkgDir = path.join(tmp, 'openclaw-plugin-houdini');
    expect(JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'))).toMatchObject({
      name: PACKAGE,
    });
    expect(await readFile(path.join(pkgDir, '.gitignore'), 'utf8')).toContain('node_modules/');
    // Stands in for `npm install`: the SDK (a workspace link) and the dev tools come from the repo.
    await symlink(REPO_NODE_MODULES, path.join(pkgDir, 'node_modules'), 'junction');
  });

  it('builds, passes its own tests and typechecks', async () => {
    await npmRun('build');
    const tests = await npmRun('test');
    expect(tests).toMatch(/Tests\s+7 passed \(7\)/);
    await npmRun('typecheck');
  }, 120_000);

  it('passes the plugin linter without a single warning', async () => {
    expect(await lintPlugin(pkgDir)).toEqual([]);
  });

  it('is a valid plugin when imported by package name, as an agent imports it', async () => {
    const agentDir = path.join(tmp, 'agent');
    await mkdir(path.join(agentDir, 'node_modules', '@studio'), { recursive: true });
    await symlink(pkgDir, path.join(agentDir, 'node_modules', PACKAGE), 'junction');
    await symlink(
      path.join(REPO_NODE_MODULES, '@openclaw-node'),
      path.join(agentDir, 'node_modules', '@openclaw-node'),
      'junction',
    );
    await writeFile(
      path.join(agentDir, 'load.mjs'),
      [
        `import plugin from '${PACKAGE}';`,
        `import { isPluginDefinition, toManifest } from '@openclaw-node/plugin-sdk';`,
        `process.stdout.write(JSON.stringify({ isPlugin: isPluginDefinition(plugin), manifest: toManifest(plugin) }));`,
      ].join('\n'),
    );
    const result = await execa(process.execPath, ['load.mjs'], {
      cwd: agentDir,
      env: childEnv(),
      extendEnv: false,
    });
    const { isPlugin, manifest } = JSON.parse(result.stdout) as { isPlugin: boolean; manifest: unknown };
    expect(isPlugin).toBe(true);
    expect(validateManifest(manifest)).toMatchObject({
      name: 'houdini',
      version: '0.1.0',
      description: 'Houdini batch tools',
      platforms: ['windows', 'linux'],
      sdk: expect.stringMatching(/^\d+\.\d+\.\d+/),
      actions: {
        render: {
          params: { required: ['scene', 'frames'], properties: { layers: { items: { format: 'path' } } } },
        },
        ping: {},
      },
    });
  });
});
