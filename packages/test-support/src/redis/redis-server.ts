import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { REDIS_INSTALL_HINT } from './redis-availability.js';

/** Options of startRedis. */
export interface StartRedisOptions {
  /** `requirepass`: clients must authenticate; the url then carries it. */
  password?: string;
  /** A fixed port; default a free one. */
  port?: number;
  /** `always` (default: nothing is lost even by kill()) or `everysec` (Redis's production default). */
  appendfsync?: 'always' | 'everysec';
  /** More redis-server arguments. */
  args?: readonly string[];
  /** The binary, default `redis-server` from PATH. */
  binary?: string;
  /** An empty data directory to use (removed by stop()); default a new temp directory. */
  dir?: string;
}

/** A real redis-server on 127.0.0.1 with its data in a temp directory (AOF on, RDB snapshots off). */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, with `:<password>@` when one was set. */
  url: string;
  host: string;
  port: number;
  /** The data directory (appendonlydir/ inside). */
  dir: string;
  /** The redis-server process id; undefined while it is stopped. */
  readonly pid: number | undefined;
  /** Shut down and remove the data directory. */
  stop(): Promise<void>;
  /** Shut down if running (SIGTERM: Redis flushes its AOF), then start again on the same port and data. */
  restart(): Promise<void>;
  /** SIGKILL, like a crash: the port closes at once; restart() brings it back on the same data. */
  kill(): Promise<void>;
}

const HOST = '127.0.0.1';

/** What is kept of the redis-server process (execa's ResultPromise does not survive exactOptionalPropertyTypes as an annotation). */
type RedisChild = Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid'>;
const READY_TIMEOUT_MS = 10_000;

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True once the server answers PING with PONG (not LOADING, not a refused connection). */
function ping(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const lines = reply.split('\r\n');
      // -LOADING while the AOF is read, -NOAUTH/-WRONGPASS: not ready for this client yet.
      if (lines.some((line) => line.startsWith('-'))) done(false);
      else if (lines.includes('+PONG')) done(true);
    });
    socket.once('connect', () => {
      const auth = password === undefined ? '' : `AUTH ${password}\r\n`;
      socket.write(`${auth}PING\r\n`);
    });
  });
}

/**
 * Start the real `redis-server` binary (argument array, no shell) on 127.0.0.1 and wait until it
 * answers PING. Fails with a clear message when the binary is not installed.
 * @example const redis = await startRedis(); … await redis.stop();
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'openclaw-redis-')));
  let port = options.port ?? (await freePort());
  let child: RedisChild | undefined;
  let output = '';

  const args = (): string[] => [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    options.appendfsync ?? 'always',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ...(options.args ?? []),
  ];

  const launch = async (): Promise<void> => {
    output = '';
    const proc = execa(options.binary ?? 'redis-server', args(), {
      reject: false,
      stdin: 'ignore',
      all: true,
      buffer: false,
    });
    proc.all?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    });
    child = proc;
    const exited = proc.then((result) => result);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const early = await Promise.race([
        exited,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)),
      ]);
      if (early !== undefined) {
        child = undefined;
        if ((early as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String(early.message))) {
          throw new Error(`redis-server was not found on PATH: ${REDIS_INSTALL_HINT}`);
        }
        throw new Error(`redis-server exited before it was ready (${early.message}):\n${output}`);
      }
      if (await ping(port, options.password)) return;
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        await exited;
        child = undefined;
        throw new Error(`redis-server did not answer PING within ${READY_TIMEOUT_MS} ms:\n${output}`);
      }
    }
  };

  const halt = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill(signal);
    await proc;
  };

  // A free port may be taken by someone else between freePort() and bind: try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      const busy = /Address already in use/i.test(output);
      if (!busy || options.port !== undefined || attempt >= 5) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }

  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    url: `redis://${auth}${HOST}:${port}`,
    host: HOST,
    port,
    dir,
    get pid() {
      return child?.pid;
    },
    stop: async () => {
      await halt('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
    kill: () => halt('SIGKILL'),
  };
}
