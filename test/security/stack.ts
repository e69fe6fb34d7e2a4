import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent, resolveAgentConfig, type Agent } from '@openclaw-node/agent';
import type { PluginManifest } from '@openclaw-node/core';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import {
  FakeShotgrid,
  type RecordedRequest,
} from '../../packages/plugins/test/fixtures/shotgrid/fake-shotgrid.js';
import { OUTSIDE_EXTENSIONS, SHOW_FILES } from './baselines.js';
import { BATTERY_MANIFESTS, BATTERY_PLUGINS } from './catalog.js';
import { materialize } from './hostile-values.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../fixtures/hostile');
/** Every program a built-in plugin may start on Linux, each a copy of a recording fake. */
const FAKE_PROGRAMS: Record<string, string> = {
  rv: 'fake-tool.cjs',
  rvpush: 'fake-tool.cjs',
  Nuke: 'fake-tool.cjs',
  nuke: 'fake-tool.cjs',
  'xdg-open': 'fake-tool.cjs',
  gdbus: 'fake-tool.cjs',
  'dbus-send': 'fake-tool.cjs',
  pgrep: 'fake-tool.cjs',
  python3: 'fake-python.sh',
  python: 'fake-python.sh',
};
/** Which plugin starts each program: activity is attributed by it when plugins run side by side. */
const PROGRAM_OWNERS: Record<string, string> = {
  rv: 'rv',
  rvpush: 'rv',
  Nuke: 'nuke',
  nuke: 'nuke',
  'xdg-open': 'explorer',
  gdbus: 'explorer',
  'dbus-send': 'explorer',
  python3: 'resolve',
  python: 'resolve',
  pgrep: 'resolve',
};
const TOKEN = 'hostile-battery-token-5b9e2c7a41';
const NODE_ID = 'ws-hostile';
const ENV_KEYS = ['PATH', 'HOSTILE_PROCESS_LOG', 'DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'WAYLAND_DISPLAY'];
const APP_ENV_VARS = [
  'AGENT_RV_EXE',
  'AGENT_RVPUSH_EXE',
  'AGENT_NUKE_EXE',
  'AGENT_RESOLVE_EXE',
  'AGENT_RESOLVE_PYTHON',
];

/** One call a handler made through ctx.run or ctx.launch (counted before the process exists). */
export interface SpawnRecord {
  via: 'run' | 'launch';
  file: string;
  args: string[];
  input?: string;
}

/** One start of a fake program, as it logged itself. */
export interface ProcessRecord {
  tool: string;
  argv: string[];
  stdin: string;
  pid: number;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** What happened on the edges (processes, ShotGrid) since a mark was taken. */
export interface EdgeActivity {
  spawns: SpawnRecord[];
  processes: ProcessRecord[];
  sgRequests: RecordedRequest[];
}

/** A real server and a real in-process agent whose every outside effect is recorded. */
export interface HostileStack {
  base: string;
  token: string;
  nodeId: string;
  dirs: { root: string; show: string; outside: string; bin: string };
  site: FakeShotgrid;
  /** The manifests of the built-in plugins, as the agent advertises them. */
  manifests: PluginManifest[];
  /** POST /api/nodes/<node>/exec with the body (placeholders filled in). */
  exec(body: unknown, node?: string): Promise<ApiAnswer>;
  /** Any request; `body` is sent as-is. */
  request(route: string, init?: RequestInit & { auth?: boolean }): Promise<ApiAnswer>;
  fill<T>(value: T): T;
  /**
   * Start counting edge activity; call the result to read what happened since. With a plugin name,
   * only activity that plugin could cause is counted (its programs, ShotGrid for shotgrid) plus any
   * program no plugin owns, so cases of different plugins can run side by side.
   */
  mark(plugin?: string): () => Promise<EdgeActivity>;
  /** Everything that happened on the edges since the stack started. */
  activity(): Promise<EdgeActivity>;
  stop(): Promise<void>;
}

/**
 * Start the stack: fake programs on PATH and in plugin_config, a fake ShotGrid, the server on
 * 127.0.0.1:0 and the agent with every built-in plugin and one allowed root. Resolves once the node
 * is registered.
 */
export async function startHostileStack(): Promise<HostileStack> {
  const root = await mkdtemp(path.join(tmpdir(), 'openclaw-hostile-'));
  const dirs = {
    root,
    show: path.join(root, 'show'),
    outside: path.join(root, 'outside'),
    bin: path.join(root, 'bin'),
  };
  const processLog = path.join(root, 'processes.log');
  await buildTree(dirs);
  const savedEnv = Object.fromEntries([...ENV_KEYS, ...APP_ENV_VARS].map((k) => [k, process.env[k]]));
  process.env.PATH = `${dirs.bin}${path.delimiter}${process.env.PATH ?? ''}`;
  process.env.HOSTILE_PROCESS_LOG = processLog;
  process.env.DISPLAY = ':99';
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${path.join(root, 'no-bus')}`;
  delete process.env.WAYLAND_DISPLAY;
  for (const key of APP_ENV_VARS) delete process.env[key];

  const site = await new FakeShotgrid().start();
  seedShotgrid(site);
  const silent = pino({ level: 'silent' });
  const server: OpenClawServer = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'battery', token: TOKEN }],
    logger: silent,
  });
  const { url: base } = await server.listen();

  const spawns: SpawnRecord[] = [];
  const bin = (name: string) => path.join(dirs.bin, name);
  const config = resolveAgentConfig(
    {
      node_id: NODE_ID,
      server_url: `${base.replace(/^http/, 'ws')}/ws`,
      auth_token: TOKEN,
      plugins: BATTERY_PLUGINS,
      allowed_paths: [dirs.show],
      plugin_config: {
        explorer: {
          xdg_open: bin('xdg-open'),
          gdbus: bin('gdbus'),
          dbus_send: bin('dbus-send'),
          xdg_open_wait_ms: 2000,
        },
        rv: { path: bin('rv'), rvpush_path: bin('rvpush') },
        nuke: { path: bin('Nuke'), install_roots: [path.join(root, 'no-nuke-installs')] },
        resolve: { python: bin('python3'), path: bin('resolve'), process_check: false },
        shotgrid: {
          site: site.url,
          script_name: site.options.scriptName,
          script_key: site.options.scriptKey,
          max_retries: 0,
        },
      },
    },
    { env: {}, onWarning: () => undefined },
  );
  const agent: Agent = createAgent({
    config,
    logger: silent,
    platform: 'linux',
    createRuntime: (options) => {
      const runtime = createProcessRuntime(options);
      return {
        which: runtime.which,
        run: (file, args, opts) => {
          spawns.push({
            via: 'run',
            file,
            args: [...args],
            ...(opts?.input !== undefined ? { input: opts.input } : {}),
          });
          return runtime.run(file, args, opts);
        },
        launch: (file, args, opts) => {
          spawns.push({ via: 'launch', file, args: [...args] });
          return runtime.launch(file, args, opts);
        },
      };
    },
  });
  agent.start();
  await agent.ready;

  const fill = <T>(value: T): T => materialize(value, dirs);
  const request = async (route: string, init: RequestInit & { auth?: boolean } = {}): Promise<ApiAnswer> => {
    const headers = new Headers(init.headers);
    if (init.auth !== false) headers.set('authorization', `Bearer ${TOKEN}`);
    const response = await fetch(base + route, { ...init, headers });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, body, text };
  };
  const readProcessLog = async (): Promise<ProcessRecord[]> => {
    const text = await readFile(processLog, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ProcessRecord);
  };

  const stack: HostileStack = {
    base,
    token: TOKEN,
    nodeId: NODE_ID,
    dirs,
    site,
    manifests: BATTERY_MANIFESTS,
    fill,
    request,
    exec: (body, node = NODE_ID) =>
      request(`/api/nodes/${encodeURIComponent(node)}/exec`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fill(body)),
      }),
    mark(plugin) {
      const spawnMark = spawns.length;
      const sgMark = site.requests.length;
      const logMark = readProcessLog().then((list) => list.length);
      const mine = (program: string) =>
        plugin === undefined || [undefined, plugin].includes(PROGRAM_OWNERS[program]);
      return async () => ({
        spawns: spawns.slice(spawnMark).filter((s) => mine(path.basename(s.file))),
        processes: (await readProcessLog()).slice(await logMark).filter((p) => mine(p.tool)),
        sgRequests: plugin === undefined || plugin === 'shotgrid' ? site.requests.slice(sgMark) : [],
      });
    },
    activity: async () => ({
      spawns: [...spawns],
      processes: await readProcessLog(),
      sgRequests: [...site.requests],
    }),
    async stop() {
      await agent.stop();
      await server.close();
      await site.stop();
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
  await waitForNode(stack);
  return stack;
}

async function buildTree(dirs: { root: string; show: string; outside: string; bin: string }): Promise<void> {
  await mkdir(dirs.bin, { recursive: true });
  for (const [name, fake] of Object.entries(FAKE_PROGRAMS)) {
    await copyFile(path.join(FIXTURES, fake), path.join(dirs.bin, name));
    await chmod(path.join(dirs.bin, name), 0o755);
  }
  for (const file of SHOW_FILES) {
    await mkdir(path.dirname(path.join(dirs.show, file)), { recursive: true });
    await writeFile(path.join(dirs.show, file), 'media\n');
  }
  // What a guard miss would reach: a folder and files outside the root, and links to them inside it.
  await mkdir(path.join(dirs.outside, 'secret'), { recursive: true });
  for (const ext of OUTSIDE_EXTENSIONS.filter(Boolean)) {
    await writeFile(path.join(dirs.outside, `secret${ext}`), 'secret\n');
  }
  await symlink(dirs.outside, path.join(dirs.show, 'escape'));
  for (const ext of OUTSIDE_EXTENSIONS) {
    await symlink(path.join(dirs.outside, `secret${ext}`), path.join(dirs.show, `link-out${ext}`));
    await symlink(path.join(dirs.outside, `missing${ext}`), path.join(dirs.show, `dangling${ext}`));
  }
  // Media whose names rvpush could not quote safely into a running RV's Mu code.
  await writeFile(path.join(dirs.show, 'sh010', 'comp', 'mu".exr'), 'media\n');
  await writeFile(path.join(dirs.show, 'sh010', 'comp', 'mu\\.exr'), 'media\n');
}

function seedShotgrid(site: FakeShotgrid): void {
  const store = site.store;
  const project = { type: 'Project', id: store.add('Project', { name: 'Hostile Show' }, 70).id };
  store.add('Shot', { code: 'sh010', sg_status_list: 'ip', project }, 868);
  store.add(
    'Task',
    { content: 'comp', sg_status_list: 'rdy', project, entity: { type: 'Shot', id: 868 } },
    4567,
  );
}

async function waitForNode(stack: HostileStack): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { body } = await stack.request('/api/nodes');
    const nodes = (body.nodes as { node_id: string }[] | undefined) ?? [];
    if (nodes.some((n) => n.node_id === stack.nodeId)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`node ${stack.nodeId} did not register`);
}
