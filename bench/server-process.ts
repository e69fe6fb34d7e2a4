import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ServerProcessOptions {
  root: string;
  port: number;
  token: string;
  /** `--store memory|sqlite`, passed only when the CLI has the flag. */
  store?: 'memory' | 'sqlite';
  /** Run packages/cli/src/bin.ts through tsx instead of the build. */
  fromSource?: boolean;
  /** More `server start` arguments (the scale-out run passes its Redis options here). */
  extraArgs?: string[];
  /** Node flags before the script (`--cpu-prof`, `--max-old-space-size=…`). */
  nodeArgs?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
}

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

function command(root: string, fromSource: boolean, nodeArgs: string[] = []): [string, string[]] {
  if (fromSource) {
    return [
      process.execPath,
      [
        ...nodeArgs,
        '--conditions=@openclaw-node/source',
        // Resolved here: the server's working directory is a temporary folder.
        `--import=${import.meta.resolve('tsx')}`,
        path.join(root, 'packages/cli/src/bin.ts'),
      ],
    ];
  }
  const bin = path.join(root, 'packages/cli/dist/bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first (or pass --source)`);
  return [process.execPath, [...nodeArgs, bin]];
}

/** Ask the CLI which of the optional server flags it has. */
export async function serverFlags(root: string, fromSource = false): Promise<ServerFlags> {
  const [file, args] = command(root, fromSource);
  const help = await execa(file, [...args, 'server', 'start', '--help'], { reject: false, cwd: root });
  const text = `${help.stdout}\n${help.stderr}`;
  return { store: text.includes('--store'), dataDir: text.includes('--data-dir') };
}

/** `openclaw server start` as a child process on a fixed port: start, wait for health, kill, restart. */
export class ServerProcess {
  readonly options: ServerProcessOptions;
  readonly base: string;
  readonly flags: ServerFlags;
  readonly #dataDir = mkdtempSync(path.join(tmpdir(), 'openclaw-bench-'));
  #child: ResultPromise | undefined;

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

  /** Which store the process really runs with. */
  get store(): string {
    return this.flags.store && this.options.store ? this.options.store : 'default';
  }

  /** Start a new process (after kill()); resolves when /api/health answers. */
  async restart(): Promise<void> {
    const o = this.options;
    const [file, args] = command(o.root, o.fromSource ?? false, o.nodeArgs);
    const extra: string[] = [];
    if (this.flags.store && o.store) extra.push('--store', o.store);
    if (this.flags.dataDir) extra.push('--data-dir', this.#dataDir);
    extra.push(...(o.extraArgs ?? []));
    const child = execa(
      file,
      [...args, 'server', 'start', '--host', '127.0.0.1', '--port', String(o.port), ...extra],
      {
        cwd: this.#dataDir,
        env: {
          OPENCLAW_NODE_TOKEN: o.token,
          OPENCLAW_LOG_LEVEL: 'warn',
          HOME: this.#dataDir,
          XDG_DATA_HOME: this.#dataDir,
          ...o.env,
        },
        extendEnv: true,
        reject: false,
        stdout: 'ignore',
        stderr: 'pipe',
        buffer: { stderr: true },
      },
    );
    this.#child = child;
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
