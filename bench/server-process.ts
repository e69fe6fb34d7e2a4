import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { benchTempDir, removeTempDir } from './temp-dirs.js';

/** How the server process is started: the bench launcher (bench/server-main.ts) or `openclaw server start`. */
export type ServerLauncher = 'bench' | 'cli';

export interface ServerProcessOptions {
  root: string;
  port: number;
  token: string;
  store: 'memory' | 'sqlite';
  launcher: ServerLauncher;
  /** Run the sources through tsx instead of the build (packages/<pkg>/dist). */
  fromSource?: boolean;
  /** Node flags before the script (`--cpu-prof`, `--max-old-space-size=…`). */
  nodeArgs?: string[];
  /** More `server start` arguments for the CLI (the scale-out run passes its Redis options here). */
  extraArgs?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
  /** Scale-out mode: join the processes sharing this Redis (the job store is then Redis). */
  cluster?: ClusterLaunch;
}

/** The scale-out options of one server process (`--redis`, `--redis-adapter`, `--process-id`). */
export interface ClusterLaunch {
  redis: string;
  adapter: 'pubsub' | 'streams';
  processId: string;
}

/** How many log lines at warn and above the process wrote, and the first few of them. */
export interface ServerLogTally {
  warnings: number;
  errors: number;
  first: string[];
}

/** Warning and error lines a server's tally keeps (the first ones). */
export const KEPT_LOG_LINES = 8;

/** What is kept of the server's process (execa's ResultPromise does not survive exactOptionalPropertyTypes as an annotation). */
type ServerChild = Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid'>;

/** What the built CLI's `server start` accepts, read from its `--help`. */
export interface ServerFlags {
  store: boolean;
  dataDir: boolean;
}

/** Free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function nodeCommand(
  o: Pick<ServerProcessOptions, 'root' | 'launcher' | 'fromSource' | 'nodeArgs'>,
): string[] {
  const tsx = `--import=${import.meta.resolve('tsx')}`;
  const source = o.fromSource ? ['--conditions=@openclaw-node/source'] : [];
  if (o.launcher === 'bench')
    return [...(o.nodeArgs ?? []), ...source, tsx, path.join(o.root, 'bench/server-main.ts')];
  if (o.fromSource)
    return [...(o.nodeArgs ?? []), ...source, tsx, path.join(o.root, 'packages/cli/src/bin.ts')];
  const bin = path.join(o.root, 'packages/cli/dist/bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first (or pass --source)`);
  return [...(o.nodeArgs ?? []), bin];
}

/** Ask the CLI which of the optional server flags it has. */
export async function serverFlags(root: string, fromSource = false): Promise<ServerFlags> {
  const args = nodeCommand({ root, launcher: 'cli', fromSource });
  const help = await execa(process.execPath, [...args, 'server', 'start', '--help'], {
    reject: false,
    cwd: root,
  });
  const text = `${help.stdout}\n${help.stderr}`;
  return { store: text.includes('--store'), dataDir: text.includes('--data-dir') };
}

/** One server process on a fixed port: start, wait for health, kill (a crash), restart, stop. */
export class ServerProcess {
  readonly options: ServerProcessOptions;
  readonly base: string;
  readonly flags: ServerFlags;
  readonly #dataDir = benchTempDir('openclaw-bench-');
  #child: ServerChild | undefined;
  readonly #logs: ServerLogTally = { warnings: 0, errors: 0, first: [] };
  #partial = '';

  private constructor(options: ServerProcessOptions, flags: ServerFlags) {
    this.options = options;
    this.flags = flags;
    this.base = `http://127.0.0.1:${options.port}`;
  }

  static async start(options: ServerProcessOptions, flags: ServerFlags): Promise<ServerProcess> {
    const server = new ServerProcess(options, flags);
    await server.restart();
    return server;
  }

  /** `ws://…/ws`, an agent's `server_url`. */
  get agentUrl(): string {
    return `ws://127.0.0.1:${this.options.port}/ws`;
  }

  get pid(): number {
    const pid = this.#child?.pid;
    if (pid === undefined) throw new Error('the server is not running');
    return pid;
  }

  /** The job store the process really runs with ("default" when the CLI cannot be told). */
  get store(): string {
    if (this.options.cluster) return 'redis';
    return this.options.launcher === 'bench' || this.flags.store ? this.options.store : 'default';
  }

  /** Forget the warnings so far (those of the start, such as the full-access token notice). */
  clearLogs(): void {
    this.#logs.warnings = 0;
    this.#logs.errors = 0;
    this.#logs.first.length = 0;
  }

  /** Warnings and errors the process logged so far (pino JSON on stderr, level 40 and up). */
  get logs(): ServerLogTally {
    return { ...this.#logs, first: [...this.#logs.first] };
  }

  /** Start a new process (after kill()); resolves when /api/health answers. */
  async restart(): Promise<void> {
    const o = this.options;
    const args = [...nodeCommand(o)];
    if (o.launcher === 'bench') {
      args.push('127.0.0.1', String(o.port));
    } else {
      args.push('server', 'start', '--host', '127.0.0.1', '--port', String(o.port));
      if (this.flags.store && !o.cluster) args.push('--store', o.store);
      if (this.flags.dataDir) args.push('--data-dir', this.#dataDir);
      if (o.cluster) {
        const c = o.cluster;
        args.push('--redis', c.redis, '--redis-adapter', c.adapter, '--process-id', c.processId);
      }
      args.push(...(o.extraArgs ?? []));
    }
    const child = execa(process.execPath, args, {
      cwd: this.#dataDir,
      env: {
        OPENCLAW_NODE_TOKEN: o.token,
        OPENCLAW_LOG_LEVEL: 'warn',
        OPENCLAW_DATA_DIR: this.#dataDir,
        BENCH_STORE: o.store,
        HOME: this.#dataDir,
        XDG_DATA_HOME: this.#dataDir,
        // server-main.ts reads the CLI's variables; empty ones (the CLI ignores them) keep a Redis URL
        // in the caller's environment from turning a one-process run into a cluster.
        OPENCLAW_REDIS_URL: o.cluster?.redis ?? '',
        OPENCLAW_REDIS_ADAPTER: o.cluster?.adapter ?? '',
        OPENCLAW_PROCESS_ID: o.cluster?.processId ?? '',
        ...o.env,
      },
      extendEnv: true,
      reject: false,
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: { stderr: true },
    });
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => this.#tally(chunk));
    const exited = child.then((r) => {
      throw new Error(
        `the server exited at start (${r.signal ?? r.exitCode}): ${String(r.stderr).slice(-2000)}`,
      );
    });
    exited.catch(() => undefined);
    await Promise.race([this.#waitHealthy(), exited]);
  }

  /** Kill the process (SIGKILL by default: a crash) and wait until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    child.kill(signal);
    await child;
  }

  /** Stop for good: SIGTERM (a clean shutdown), then remove the data directory. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    removeTempDir(this.#dataDir);
  }

  #tally(chunk: Buffer): void {
    const lines = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let level = 50; // not pino JSON (a stack trace, a Node warning): count it as an error
      try {
        const parsed = JSON.parse(line) as { level?: unknown };
        if (typeof parsed.level === 'number') level = parsed.level;
      } catch {
        // keep 50
      }
      if (level < 40) continue;
      if (level >= 50) this.#logs.errors += 1;
      else this.#logs.warnings += 1;
      if (this.#logs.first.length < KEPT_LOG_LINES) this.#logs.first.push(line.slice(0, 400));
    }
  }

  async #waitHealthy(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${this.base}/api/health`)
        .then(async (r) => (await r.arrayBuffer(), r.ok))
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the server did not answer /api/health within 15 s');
  }
}
