import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeFactory } from '@openclaw-node/agent';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { FakeShotgrid, type RecordedRequest } from '@openclaw-node/test-support/shotgrid';
import { OUTSIDE_EXTENSIONS, SHOW_FILES } from './baselines.js';
import { materialize } from './hostile-values.js';
import { createProcessLog, type ProcessRecord, readProcessLog } from './process-log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FAKE_PROGRAM = path.resolve(here, '../fixtures/hostile/fake-program.sh');
/** Every program a built-in plugin may start on Linux (a copy of the recording fake), and its plugin. */
const FAKE_PROGRAMS: Record<string, string> = {
  rv: 'rv',
  rvpush: 'rv',
  Nuke: 'nuke',
  nuke: 'nuke',
  'xdg-open': 'explorer',
  gdbus: 'explorer',
  'dbus-send': 'explorer',
  pgrep: 'resolve',
  python3: 'resolve',
  python: 'resolve',
};
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

/** What happened on the edges (processes, ShotGrid) since a mark was taken. */
export interface EdgeActivity {
  spawns: SpawnRecord[];
  processes: ProcessRecord[];
  sgRequests: RecordedRequest[];
}

/**
 * Everything outside the agent, faked and recorded: an allowed root with media, a folder outside
 * it with links into it, fake programs (on PATH and in plugin_config), a fake ShotGrid, and a
 * process runtime that records every run/launch before it happens.
 */
export interface Edges {
  dirs: { root: string; show: string; outside: string; bin: string };
  site: FakeShotgrid;
  /** `plugin_config` pointing every built-in plugin at the fakes. */
  pluginConfig: Record<string, Record<string, unknown>>;
  /** The agent's runtime: the SDK's real one, with every run and launch recorded. */
  createRuntime: RuntimeFactory;
  /** Replace `{{show}}` and `{{outside}}` placeholders. */
  fill: <T>(value: T) => T;
  /**
   * Start counting edge activity; call the result to read what happened since. With a plugin name,
   * only activity that plugin could cause is counted (its programs, ShotGrid for shotgrid) plus any
   * program no plugin owns, so cases of different plugins can run side by side.
   */
  mark: (plugin?: string) => () => Promise<EdgeActivity>;
  /** Everything since `settle()` was called (or since the start). */
  activity: () => Promise<EdgeActivity>;
  /** Start the whole-file count here: what the setup itself caused is not held against the cases. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** Build the edges in a fresh temp folder and point this process's environment at them. */
export async function createEdges(): Promise<Edges> {
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

  const spawns: SpawnRecord[] = [];
  await createProcessLog(processLog);
  const since = (plugin: string | undefined, start: { spawns: number; processes: number; sg: number }) => {
    const mine = (program: string) =>
      plugin === undefined || [undefined, plugin].includes(FAKE_PROGRAMS[program]);
    return async (): Promise<EdgeActivity> => ({
      spawns: spawns.slice(start.spawns).filter((s) => mine(path.basename(s.file))),
      processes: (await readProcessLog(processLog)).slice(start.processes).filter((p) => mine(p.tool)),
      sgRequests: plugin === undefined || plugin === 'shotgrid' ? site.requests.slice(start.sg) : [],
    });
  };
  const now = async () => ({
    spawns: spawns.length,
    processes: (await readProcessLog(processLog)).length,
    sg: site.requests.length,
  });
  let settled = { spawns: 0, processes: 0, sg: 0 };
  const bin = (name: string) => path.join(dirs.bin, name);

  return {
    dirs,
    site,
    pluginConfig: {
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
    fill: (value) => materialize(value, dirs),
    mark: (plugin) => {
      const start = { spawns: spawns.length, sg: site.requests.length, processes: 0 };
      const counted = readProcessLog(processLog).then((list) => (start.processes = list.length));
      const read = since(plugin, start);
      return async () => {
        await counted;
        return read();
      };
    },
    activity: () => since(undefined, settled)(),
    async settle() {
      settled = await now();
    },
    async stop() {
      await site.stop();
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function buildTree(dirs: Edges['dirs']): Promise<void> {
  await mkdir(dirs.bin, { recursive: true });
  for (const name of Object.keys(FAKE_PROGRAMS)) {
    await copyFile(FAKE_PROGRAM, path.join(dirs.bin, name));
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
    await symlink(path.join(dirs.outside, 'secret'), path.join(dirs.show, `escape-dir${ext}`));
    await symlink(path.join(dirs.outside, `secret${ext}`), path.join(dirs.show, `link-out${ext}`));
    await symlink(path.join(dirs.outside, `missing${ext}`), path.join(dirs.show, `dangling${ext}`));
    await symlink(`loop${ext}`, path.join(dirs.show, `loop${ext}`));
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
