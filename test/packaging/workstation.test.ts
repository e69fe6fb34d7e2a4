import { mkdir, mkdtemp, readFile, readdir, realpath, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  fakeToolsDir,
  freePort,
  readToolsLog,
  startServerProcess,
  waitFor,
  type RunningProcess,
} from '../e2e/harness.js';
import { importedSpecifiers, jsFiles, packageNameOf } from './dist-imports.js';
import { childEnv, repoRoot } from './workspace-packages.js';

// PACKAGING TEST: @openclaw-node/workstation, the lean agent package, as a locked-down studio
// workstation gets it: one tarball, `npm install -g` with an EMPTY npm cache, --offline and an
// unreachable registry (so nothing can be downloaded), then the installed `openclaw agent …`
// commands and `openclaw-agent` against a real server. Needs the build (`npm test` builds first).

const TOKEN = 'workstation-token-8c2e61f0a9';
const NODE_ID = 'ws-lean';
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

let tmp: string;
let prefix: string;
let show: string;
let toolsLog: string;
let configFile: string;
let base: string;
let server: RunningProcess | undefined;
let agent: RunningProcess | undefined;

const installed = () => path.join(prefix, 'lib/node_modules/@openclaw-node/workstation');
const bin = (name: string) => path.join(prefix, 'bin', name);
/** No network: an unreachable registry, an empty cache of its own, and --offline. */
const offlineEnv = () =>
  childEnv({
    npm_config_cache: path.join(tmp, 'empty-npm-cache'),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_prefix: prefix,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });

async function run(file: string, args: string[], env: Record<string, string> = {}) {
  return execa(file, args, {
    env: { ...offlineEnv(), ...env },
    extendEnv: false,
    reject: false,
    all: true,
    timeout: 120_000,
  });
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-workstation-')));
  prefix = path.join(tmp, 'global');
  show = path.join(tmp, 'show');
  toolsLog = path.join(tmp, 'tools.log');
  configFile = path.join(tmp, 'node_config.yaml');
  await mkdir(path.join(show, 'sh010'), { recursive: true });
  const packed = await execa(
    'npm',
    ['pack', '--workspace', 'packages/workstation', '--pack-destination', tmp, '--ignore-scripts', '--json'],
    { cwd: repoRoot, env: childEnv(), extendEnv: false, timeout: 120_000 },
  );
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const install = await run('npm', ['install', '-g', '--offline', path.join(tmp, path.basename(filename))]);
  if (install.failed)
    throw new Error(`npm install -g of the workstation tarball failed offline:\n${install.all}`);
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('@openclaw-node/workstation installed from its tarball with no network', { timeout: 60_000 }, () => {
  it('is one package with nothing nested: no dependencies to fetch, no native build', async () => {
    const manifest = JSON.parse(await readFile(path.join(installed(), 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(Object.values(manifest.peerDependenciesMeta as Record<string, { optional: boolean }>)).toEqual([
      { optional: true },
      { optional: true },
    ]);
    expect(await readdir(path.join(prefix, 'lib/node_modules'))).toEqual(['@openclaw-node']);
    expect(await readdir(path.join(prefix, 'lib/node_modules/@openclaw-node'))).toEqual(['workstation']);
    expect((await readdir(installed())).sort()).toEqual(
      ['LICENSE', 'README.md', 'THIRD_PARTY_LICENSES.md', 'assets', 'bin', 'dist', 'package.json'].sort(),
    );
    expect((await readdir(prefix)).sort()).toEqual(['bin', 'lib']);
  });

  it('imports only Node built-ins and its own chunks (no server, Koa, Redis, SQLite)', () => {
    const outside = new Set<string>();
    for (const file of jsFiles(path.join(installed(), 'dist'))) {
      for (const specifier of importedSpecifiers(file)) {
        if (specifier.startsWith('./') || builtins.has(specifier)) continue;
        outside.add(packageNameOf(specifier) ?? specifier);
      }
    }
    // Both optional, loaded in a try only for a plugin or a config written in TypeScript.
    expect([...outside].sort()).toEqual(['tsx', 'typescript']);
  });

  it('ships the built-in plugins with their assets, and the licenses of what it bundles', async () => {
    expect(await readdir(path.join(installed(), 'assets/nuke'))).toContain('nuke_get_info.py');
    const licenses = await readFile(path.join(installed(), 'THIRD_PARTY_LICENSES.md'), 'utf8');
    for (const name of ['socket.io-client', 'pino', 'ajv', 'yaml', 'clipanion', 'execa']) {
      expect(licenses).toMatch(new RegExp(`^## ${name.replace('.', '\\.')}@\\d`, 'm'));
    }
  });

  it('has the workstation commands, and points to the full CLI for the others', async () => {
    const help = await run(bin('openclaw'), ['--help']);
    expect(help.exitCode).toBe(0);
    for (const command of ['init', 'start', 'doctor', 'logs', 'install', 'uninstall', 'status']) {
      expect(help.stdout).toContain(`openclaw agent ${command}`);
    }
    expect(help.stdout).not.toContain('openclaw server start');
    const server = await run(bin('openclaw'), ['server', 'start']);
    expect(server.exitCode).toBe(2);
    expect(server.stderr).toContain('use the full command line, @openclaw-node/cli');
    expect((await run(bin('openclaw-agent'), ['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('sets up and runs the agent against a real server: init, doctor, install --dry-run, start', async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = startServerProcess(port, { OPENCLAW_NODE_TOKEN: TOKEN, OPENCLAW_STORE: 'memory' });
    await waitFor(
      async () => ((await api(base, '/api/health')).status === 200 ? true : undefined),
      'the server',
    );

    const init = await run(bin('openclaw'), [
      ...['agent', 'init', '--yes', '--config', configFile, '--server', `ws://127.0.0.1:${port}/ws`],
      ...['--token', TOKEN, '--node-id', NODE_ID, '--plugins', 'explorer', '--allowed-path', show],
    ]);
    expect(init.exitCode, init.all).toBe(0);

    const doctor = await run(bin('openclaw'), ['agent', 'doctor', '--config', configFile, '--json']);
    expect(doctor.stdout, doctor.all).toMatch(/"ok"/);

    const plan = await run(bin('openclaw'), ['agent', 'install', '--dry-run', '--config', configFile]);
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.all).toContain(path.join(installed(), 'bin/openclaw-agent.js'));

    const env = {
      ...offlineEnv(),
      FAKE_TOOLS_LOG: toolsLog,
      PATH: `${fakeToolsDir}${path.delimiter}${process.env.PATH ?? ''}`,
      DISPLAY: ':99',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/openclaw-fake-bus',
    };
    const child = execa(bin('openclaw-agent'), ['--config', configFile, '--no-log-file'], {
      env: env,
      extendEnv: false,
      reject: false,
      all: true,
      forceKillAfterDelay: 2000,
    });
    let output = '';
    child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    agent = {
      process: child,
      output: () => output,
      stop: async () => {
        child.kill('SIGTERM');
        await child.catch(() => undefined);
      },
    };
    await waitFor(
      async () => {
        const { body } = await api(base, '/api/nodes', { token: TOKEN });
        const nodes = (body.nodes as { node_id: string }[] | undefined) ?? [];
        return nodes.some((n) => n.node_id === NODE_ID) ? true : undefined;
      },
      'the installed workstation agent to register',
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    const exec = await api(base, `/api/nodes/${NODE_ID}/exec`, {
      token: TOKEN,
      body: { action: 'explorer.open_folder', params: { path: path.join(show, 'sh010') } },
    });
    expect(exec.status, JSON.stringify(exec.body)).toBe(200);
    // Explorer answers after a grace period even if xdg-open is still starting (a loaded machine).
    const started = await waitFor(async () => {
      const calls = await readToolsLog(toolsLog);
      return calls.some((call) => call.argv.includes(path.join(show, 'sh010'))) ? true : undefined;
    }, 'xdg-open to be started with the folder');
    expect(started).toBe(true);
  });
});
