import { execa, type ResultPromise } from 'execa';
import { createConnection } from 'node:net';
import { freePort } from './server-process.js';
import { benchTempDir, removeTempDir } from './temp-dirs.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;

/**
 * Send one command to Redis over a fresh connection (RESP by hand: the bench needs only INFO and PING)
 * and resolve with the reply's text: a simple string, an error, or a bulk string.
 */
export function redisCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: HOST, port });
    let reply = Buffer.alloc(0);
    const done = (error: Error | undefined, text?: string): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(text ?? '');
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`redis ${args[0]}: no answer in ${timeoutMs} ms`)));
    socket.once('error', (error) => done(error));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const eol = reply.indexOf('\r\n');
      if (eol < 0) return;
      const head = reply.subarray(0, eol).toString('utf8');
      if (head.startsWith('+') || head.startsWith(':')) return done(undefined, head.slice(1));
      if (head.startsWith('-')) return done(new Error(`redis ${args[0]}: ${head.slice(1)}`));
      if (!head.startsWith('$')) return done(new Error(`redis ${args[0]}: unexpected reply ${head}`));
      const length = Number(head.slice(1));
      if (length < 0) return done(undefined, '');
      if (reply.length >= eol + 2 + length) {
        done(undefined, reply.subarray(eol + 2, eol + 2 + length).toString('utf8'));
      }
    });
    socket.once('connect', () => {
      const parts = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`);
      socket.write(`*${args.length}\r\n${parts.join('')}`);
    });
  });
}

/** The `field:value` lines of an INFO reply. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/**
 * A real redis-server for the scale-out figures, on a free loopback port with its data in a temp
 * directory: AOF on with `appendfsync everysec` (Redis's production setting for AOF), no RDB snapshots.
 */
export class RedisProcess {
  readonly port: number;
  readonly #dir: string;
  readonly #child: ResultPromise;

  private constructor(port: number, dir: string, child: ResultPromise) {
    this.port = port;
    this.#dir = dir;
    this.#child = child;
  }

  /** Start and wait until it answers PING; fails clearly when redis-server is not installed. */
  static async start(): Promise<RedisProcess> {
    const dir = benchTempDir('openclaw-bench-redis-');
    const port = await freePort();
    const child = execa(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        HOST,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', buffer: { stderr: true } },
    );
    const redis = new RedisProcess(port, dir, child);
    const exited = child.then((r) => {
      const missing = (r as { code?: string }).code === 'ENOENT';
      throw new Error(
        missing
          ? 'redis-server is not on PATH (Debian: apt-get install redis-server)'
          : `redis-server exited at start (${r.signal ?? r.exitCode}): ${String(r.stderr).slice(-2000)}`,
      );
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([redis.#waitReady(), exited]);
    } catch (error) {
      await redis.stop();
      throw error;
    }
    return redis;
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://${HOST}:${this.port}`;
  }

  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('redis-server is not running');
    return pid;
  }

  /** One section of INFO (memory, stats, clients…) as fields. */
  async info(section: string): Promise<Map<string, string>> {
    return parseInfo(await redisCommand(this.port, ['INFO', section]));
  }

  /** SIGTERM, wait for the exit, remove the data directory. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await this.#child;
    removeTempDir(this.#dir);
  }

  async #waitReady(): Promise<void> {
    const deadline = performance.now() + READY_TIMEOUT_MS;
    for (;;) {
      const pong = await redisCommand(this.port, ['PING'], 500).catch(() => '');
      if (pong === 'PONG') return;
      if (performance.now() > deadline)
        throw new Error(`redis-server did not answer PING within ${READY_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
