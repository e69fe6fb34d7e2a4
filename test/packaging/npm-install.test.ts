import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, fakeToolsDir, freePort, readToolsLog, waitFor } from '../e2e/harness.js';
import {
  childEnv,
  listWorkspacePackages,
  offlineInstallFiles,
  repoRoot,
  type PackageJson,
  type TarballPackage,
} from './workspace-packages.js';

// PACKAGING TEST (slow: ~30-60 s). What a studio gets from `npm i -g @openclaw-node/cli`:
// `npm pack` every workspace package (and the example plugin), install the tarballs into an empty
// folder outside the workspace, then run the installed server, agent and CLI.
// Where the dependencies come from: the install folder gets a package-lock.json that pins every
// third-party package to the version and integrity the workspace lock resolved, in the workspace's
// tree shape, and `npm ci --offline` installs it. npm then needs no registry metadata at all, only
// tarballs, and the workspace's own `npm install`/`npm ci` has just put each of them in the npm
// cache (this works from an empty cache: the README's `npm install && npm test`). The test never
// uses the network. Needs the build (the root `npm test` builds first). Every step has a deadline:
// a stuck npm fails with its output, never hangs.

const TOKEN = 'packaging-token-4b1d93e7';
const WORKSTATION = '@openclaw-node/workstation';
const NODE_ID = 'ws-packaged';
const STEP_MS = 120_000;

let tmp: string;
let install: string;
let show: string;
let toolsLog: string;
let base: string;
const running: (Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid'>)[] = [];

const bin = (name: string) => path.join(install, 'node_modules/.bin', name);

/** Run a command; on failure the error says which step failed and shows its output. */
async function step(
  what: string,
  file: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<{ stdout: string; exitCode: number }> {
  const result = await execa(file, args, {
    env: childEnv(),
    extendEnv: false,
    timeout: STEP_MS,
    reject: false,
    all: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (result.failed) {
    const why = result.timedOut
      ? `timed out after ${STEP_MS / 1000} s`
      : `exited with ${String(result.exitCode)}`;
    throw new Error(`${what} ${why}: ${file} ${args.join(' ')}\n${result.all}`);
  }
  return { stdout: result.stdout, exitCode: result.exitCode ?? 0 };
}

/** Start a long-running installed program, collecting its output for failure messages. */
function spawn(file: string, args: string[], env: Record<string, string>): { output: () => string } {
  let output = '';
  const child = execa(file, args, {
    env: childEnv(env),
    extendEnv: false,
    reject: false,
    cwd: install,
    forceKillAfterDelay: 2000,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.push(child);
  return { output: () => output };
}

async function packWorkspaces(tarballs: string): Promise<TarballPackage[]> {
  const { stdout } = await step(
    'npm pack',
    'npm',
    // Each published workspace by name: a private one (test support) is never packed.
    [
      'pack',
      ...listWorkspacePackages().flatMap((p) => ['--workspace', p.dir]),
      ...['--pack-destination', tarballs, '--ignore-scripts', '--json'],
    ],
    { cwd: repoRoot },
  );
  // The workstation package bundles the agent and has bins of the same names: it is installed on
  // its own, offline (test/packaging/workstation.test.ts), never beside the full CLI.
  const packed = (
    JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[]
  ).filter((pack) => pack.name !== WORKSTATION);
  const manifests = new Map(listWorkspacePackages().map((p) => [p.manifest.name, p.manifest]));
  for (const pack of packed) {
    const files = pack.files.map((f) => f.path);
    expect(files, `${pack.name} ships dist/index.js`).toContain('dist/index.js');
    expect(files, `${pack.name} ships dist/index.d.ts`).toContain('dist/index.d.ts');
    expect(files, `${pack.name} ships the LICENSE`).toContain('LICENSE');
    expect(files, `${pack.name} ships a README`).toContain('README.md');
    expect(
      files.filter((f) => /^(src|test)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
      `${pack.name} ships no sources or tests`,
    ).toEqual([]);
  }
  // A worker thread loaded by URL beside dist/index.js: the bundler does not see it, the build copies it.
  const server = packed.find((pack) => pack.name === '@openclaw-node/server')!;
  expect(server.files.map((f) => f.path)).toContain('dist/wal-checkpoint-worker.js');
  return packed.map((pack) => ({
    name: pack.name,
    spec: `file:tarballs/${path.basename(pack.filename)}`,
    manifest: manifests.get(pack.name)!,
  }));
}

/** Build examples/studio-tools (a third-party plugin) and pack it, as its author would. */
async function packExamplePlugin(tarballs: string): Promise<TarballPackage> {
  const example = path.join(repoRoot, 'examples/studio-tools');
  const out = path.join(tmp, 'studio-tools');
  await step(
    'building examples/studio-tools',
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/typescript/bin/tsc'),
      ...['-p', path.join(example, 'tsconfig.build.json'), '--outDir', path.join(out, 'dist')],
      ...['--customConditions', '@openclaw-node/source', '--noCheck', '--sourceMap', 'false'],
    ],
    { cwd: example },
  );
  await copyFile(path.join(example, 'package.json'), path.join(out, 'package.json'));
  const { stdout } = await step('npm pack of the example plugin', 'npm', [
    'pack',
    out,
    '--pack-destination',
    tarballs,
    '--ignore-scripts',
    '--json',
  ]);
  const [packed] = JSON.parse(stdout) as { name: string; filename: string }[];
  const manifest = JSON.parse(await readFile(path.join(out, 'package.json'), 'utf8')) as PackageJson;
  return { name: packed!.name, spec: `file:tarballs/${path.basename(packed!.filename)}`, manifest };
}

/** The sqlite module, built as the workspace install built it: npm ran no install scripts here. */
async function reuseBuiltSqlite(): Promise<boolean> {
  const built = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  const from = path.join(repoRoot, built);
  const installed = path.join(install, 'node_modules/better-sqlite3');
  if (!(await stat(from).catch(() => undefined)) || !(await stat(installed).catch(() => undefined)))
    return false;
  await mkdir(path.dirname(path.join(install, built)), { recursive: true });
  await copyFile(from, path.join(install, built));
  return true;
}

/** Without a built sqlite module the job history must live in memory, if this CLI can say so. */
async function memoryStoreArgs(): Promise<string[]> {
  const help = await step('openclaw server start --help', bin('openclaw'), ['server', 'start', '--help']);
  if (help.stdout.includes('--store')) return ['--store', 'memory'];
  throw new Error(
    'better-sqlite3 is not built in the workspace (was `npm ci` run with --ignore-scripts?) and `openclaw server start` has no --store option to do without it',
  );
}

async function installTarballs(packed: TarballPackage[]): Promise<void> {
  const { packageJson, lockfile } = offlineInstallFiles(packed);
  await writeFile(path.join(install, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
  await writeFile(path.join(install, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  try {
    await step(
      'npm ci --offline',
      'npm',
      ['ci', '--offline', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
      { cwd: install },
    );
  } catch (error) {
    const text = (error as Error).message;
    throw new Error(
      /ENOTCACHED/.test(text)
        ? `a tarball this install needs is not in the npm cache (${childEnv().npm_config_cache ?? '~/.npm'}), and this test never uses the network: the workspace's \`npm install\` (or \`npm ci\`) puts every one there, so run it with the same cache (npm_config_cache) first.\n${text}`
        : text,
    );
  }
}

async function startServer(port: number): Promise<void> {
  const storeArgs = (await reuseBuiltSqlite()) ? [] : await memoryStoreArgs();
  const server = spawn(
    bin('openclaw'),
    ['server', 'start', '--host', '127.0.0.1', '--port', String(port), ...storeArgs],
    { OPENCLAW_NODE_TOKEN: TOKEN, OPENCLAW_DATA_DIR: path.join(tmp, 'data'), OPENCLAW_LOG_LEVEL: 'warn' },
  );
  await waitFor(
    async () => ((await api(base, '/api/health')).status === 200 ? true : undefined),
    'the installed server to answer',
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
}

async function startAgent(port: number): Promise<void> {
  const config = path.join(tmp, 'node_config.yaml');
  await writeFile(
    config,
    [
      `node_id: ${NODE_ID}`,
      `server_url: ws://127.0.0.1:${port}/ws`,
      'auth_token: ${PACKAGING_TOKEN}',
      // Found beside the agent's own install, as `npm i -g openclaw-plugin-studio-tools` would put it.
      'plugins: [explorer, openclaw-plugin-studio-tools]',
      `allowed_paths: [${JSON.stringify(show)}]`,
      '',
    ].join('\n'),
  );
  const agent = spawn(bin('openclaw-agent'), ['--config', config, '--no-log-file'], {
    PACKAGING_TOKEN: TOKEN,
    OPENCLAW_LOG_LEVEL: 'info',
    FAKE_TOOLS_LOG: toolsLog,
    PATH: `${fakeToolsDir}${path.delimiter}${process.env.PATH ?? ''}`,
    DISPLAY: ':99',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/openclaw-fake-bus',
  });
  await waitFor(
    async () => {
      const { body } = await api(base, '/api/nodes', { token: TOKEN });
      const nodes = (body.nodes as { node_id: string }[] | undefined) ?? [];
      return nodes.some((n) => n.node_id === NODE_ID) ? true : undefined;
    },
    'the installed agent to register',
    30_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${agent.output()}`);
  });
}

beforeAll(async () => {
  for (const { dir } of listWorkspacePackages()) {
    if (!(await stat(path.join(repoRoot, dir, 'dist/index.js')).catch(() => undefined))) {
      throw new Error(`${dir}/dist is missing: run \`npm run build\` first (the root \`npm test\` does)`);
    }
  }
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-packaging-')));
  install = path.join(tmp, 'studio');
  show = path.join(tmp, 'show');
  toolsLog = path.join(tmp, 'tools.log');
  const tarballs = path.join(install, 'tarballs');
  await mkdir(tarballs, { recursive: true });
  await mkdir(path.join(show, 'sh010'), { recursive: true });

  const [workspaces, example] = await Promise.all([packWorkspaces(tarballs), packExamplePlugin(tarballs)]);
  await installTarballs([...workspaces, example]);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer(port);
  await startAgent(port);
}, 300_000);

afterAll(async () => {
  for (const child of running.reverse()) {
    child.kill('SIGTERM');
    await child.catch(() => undefined);
  }
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('packaging: the npm-installed server, agent and CLI', { timeout: 60_000 }, () => {
  it('runs `openclaw exec` against the installed agent', async () => {
    const run = await step('openclaw exec', bin('openclaw'), [
      'exec',
      NODE_ID,
      'explorer.open_folder',
      `path=${path.join(show, 'sh010')}`,
      '--server',
      base,
      '--token',
      TOKEN,
    ]);
    expect(run.exitCode).toBe(0);
    // Explorer answers after a grace period even if xdg-open is still starting (a loaded machine).
    const started = await waitFor(async () => {
      const calls = await readToolsLog(toolsLog);
      return calls.some((call) => call.argv.includes(path.join(show, 'sh010'))) ? true : undefined;
    }, 'xdg-open to be started with the folder');
    expect(started).toBe(true);
  });

  it('loads a third-party plugin installed beside the agent, by package name', async () => {
    const { body } = await api(base, '/api/plugins', { token: TOKEN });
    const plugins = body.plugins as { name: string; actions: Record<string, { result?: unknown }> }[];
    expect(plugins.map((p) => p.name).sort()).toEqual(['explorer', 'studio-tools']);
    expect(plugins.find((p) => p.name === 'studio-tools')!.actions.ping!.result).toBeDefined();
    const exec = await api(base, `/api/nodes/${NODE_ID}/exec`, {
      token: TOKEN,
      body: { action: 'studio-tools.ping', params: {} },
    });
    expect(exec).toMatchObject({
      status: 200,
      body: { status: 'success', result: { ok: true, plugin: 'studio-tools' } },
    });
  });

  it('validates the installed plugin with the installed CLI', async () => {
    const run = await step('openclaw plugin validate', bin('openclaw'), [
      'plugin',
      'validate',
      path.join(install, 'node_modules/openclaw-plugin-studio-tools'),
      '--json',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, errors: 0 });
  });

  it('resolves every package to its dist under plain Node, for import and require', async () => {
    const names = listWorkspacePackages()
      .map((p) => p.manifest.name)
      .filter((name) => name !== WORKSTATION);
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const out = {};
      for (const name of ${JSON.stringify(names)}) {
        const resolved = import.meta.resolve(name);
        await import(name);
        out[name] = { resolved, required: typeof require(name) === 'object' };
      }
      console.log(JSON.stringify(out));`;
    await writeFile(path.join(install, 'resolve-check.mjs'), script);
    const run = await step('resolving the installed packages', process.execPath, ['resolve-check.mjs'], {
      cwd: install,
    });
    const resolved = JSON.parse(run.stdout) as Record<string, { resolved: string; required: boolean }>;
    for (const name of names) {
      expect(resolved[name]!.resolved, name).toBe(
        `file://${path.join(install, 'node_modules', name, 'dist/index.js')}`,
      );
      expect(resolved[name]!.required, `require("${name}")`).toBe(true);
    }
  });

  it('runs the other installed bins', async () => {
    const [openclaw, agent, create] = await Promise.all([
      step('openclaw --version', bin('openclaw'), ['--version']),
      step('openclaw-agent --version', bin('openclaw-agent'), ['--version']),
      step('create-openclaw-plugin --help', bin('create-openclaw-plugin'), ['--help']),
    ]);
    expect(openclaw.stdout).toMatch(/\d+\.\d+\.\d+/);
    expect(agent.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(create.stdout).toContain('npx --no-install create-openclaw-plugin');
  });
});
