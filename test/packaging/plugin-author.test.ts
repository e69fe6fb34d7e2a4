import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  freePort,
  startAgentProcess,
  startServerProcess,
  waitFor,
  writeAgentConfig,
  type RunningProcess,
} from '../e2e/harness.js';
import { childEnv, repoRoot } from './workspace-packages.js';

// PACKAGING TEST: a plugin author with a clone and no registry for our packages. In a stand-in
// clone (this repository's scaffolder and a tarballs/ folder written by `npm run pack`), run
// create-openclaw-plugin into a folder outside it, then in the new plugin, unedited: npm install,
// npm test, npm run build, npm pack. Its tarball goes into a plugin_dirs folder beside the SDK
// and core tarballs, and a real agent loads it. The third-party packages (typescript, vitest,
// ajv …) come from the npm registry through the npm cache. Slow (a minute or more).

const TOKEN = 'plugin-author-token-3f9a0c2d';
const NODE_ID = 'ws-author';
let tmp: string;
let clone: string;
let plugin: string;
let pluginDirs: string;
let tarball: string;
let server: RunningProcess | undefined;
let agent: RunningProcess | undefined;

async function step(what: string, file: string, args: string[], cwd: string) {
  const result = await execa(file, args, {
    cwd,
    env: childEnv(),
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 300_000,
  });
  if (result.failed) throw new Error(`${what} failed (${String(result.exitCode)}):\n${result.all}`);
  return result;
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-plugin-author-')));
  clone = path.join(tmp, 'openclaw-node');
  pluginDirs = path.join(tmp, 'openclaw-plugins');
  const scaffolder = path.join(clone, 'packages/create-openclaw-plugin');
  await mkdir(scaffolder, { recursive: true });
  for (const entry of ['package.json', 'bin', 'dist', 'template']) {
    await cp(path.join(repoRoot, 'packages/create-openclaw-plugin', entry), path.join(scaffolder, entry), {
      recursive: true,
    });
  }
  await writeFile(
    path.join(clone, 'package.json'),
    JSON.stringify({ name: 'openclaw-node', private: true, workspaces: ['packages/create-openclaw-plugin'] }),
  );
  await symlink(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'));
  await step('npm run pack', 'npm', ['run', 'pack', '--', '--out', path.join(clone, 'tarballs')], repoRoot);
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('create-openclaw-plugin from a clone, with no registry for the SDK', { timeout: 600_000 }, () => {
  it('scaffolds a plugin that installs, tests, builds and packs with no edits', async () => {
    const work = path.join(tmp, 'work');
    await mkdir(work);
    const created = await step(
      'create-openclaw-plugin',
      process.execPath,
      [
        path.join(clone, 'packages/create-openclaw-plugin/bin/create-openclaw-plugin.js'),
        ...['openclaw-plugin-hello', '--yes', '--app', 'echo', '--platforms', 'linux,darwin,windows'],
      ],
      work,
    );
    expect(created.stdout).toContain(path.join(clone, 'tarballs', 'openclaw-node-plugin-sdk-0.1.0.tgz'));
    plugin = path.join(work, 'openclaw-plugin-hello');
    const manifest = JSON.parse(await readFile(path.join(plugin, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toEqual({ '@openclaw-node/plugin-sdk': '^0.1.0' });
    expect(manifest.devDependencies?.['@openclaw-node/plugin-sdk']).toMatch(
      /^file:\/.*plugin-sdk-0\.1\.0\.tgz$/,
    );

    await step('npm install in the plugin', 'npm', ['install', '--no-audit', '--no-fund'], plugin);
    const tested = await step('npm test in the plugin', 'npm', ['test'], plugin);
    expect(tested.all).toMatch(/passed/);
    await step('npm run build in the plugin', 'npm', ['run', 'build'], plugin);
    const packed = await step('npm pack in the plugin', 'npm', ['pack', '--json'], plugin);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarball = path.join(plugin, filename);
  });

  it('installs its tarball into plugin_dirs beside the SDK, and an agent loads it and says it is available', async () => {
    const tarballs = path.join(clone, 'tarballs');
    await step(
      'npm install into plugin_dirs',
      'npm',
      [
        ...['install', '--prefix', pluginDirs, '--omit=dev', '--no-audit', '--no-fund'],
        path.join(tarballs, 'openclaw-node-core-0.1.0.tgz'),
        path.join(tarballs, 'openclaw-node-plugin-sdk-0.1.0.tgz'),
        tarball,
      ],
      tmp,
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServerProcess(port, { OPENCLAW_NODE_TOKEN: TOKEN, OPENCLAW_STORE: 'memory' });
    await waitFor(
      async () => ((await api(base, '/api/health')).status === 200 ? true : undefined),
      'the server',
    );
    const config = await writeAgentConfig(tmp, {
      node_id: NODE_ID,
      server_url: `ws://127.0.0.1:${port}/ws`,
      auth_token: TOKEN,
      plugins: ['openclaw-plugin-hello'],
      plugin_dirs: [pluginDirs],
      allowed_paths: [tmp],
    });
    agent = startAgentProcess(config, {});
    await waitFor(
      async () => {
        const { body } = await api(base, '/api/plugins', { token: TOKEN });
        const names = ((body.plugins as { name: string }[] | undefined) ?? []).map((p) => p.name);
        return names.includes('hello') ? true : undefined;
      },
      'the agent to load the packed plugin',
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${agent?.output() ?? ''}`);
    });
    const ping = await api(base, `/api/nodes/${NODE_ID}/exec`, {
      token: TOKEN,
      body: { action: 'hello.ping', params: {} },
    });
    expect(ping).toMatchObject({
      status: 200,
      body: { status: 'success', result: { ok: true, available: true, plugin: 'hello' } },
    });
  });
});
