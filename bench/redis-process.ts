import { createConnection } from 'node:net';
import { startRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { benchTempDir, removeTempDir } from './temp-dirs.js';

const HOST = '127.0.0.1';

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
 * A real redis-server for the scale-out figures (the tests' launcher), on a free loopback port with
 * its data in a bench temp directory: AOF on with `appendfsync everysec` (Redis's production setting
 * for AOF), no RDB snapshots.
 */
export class RedisProcess {
  readonly #server: RedisServer;

  private constructor(server: RedisServer) {
    this.#server = server;
  }

  /** Start and wait until it answers PING; fails clearly when redis-server is not installed. */
  static async start(): Promise<RedisProcess> {
    const dir = benchTempDir('openclaw-bench-redis-');
    try {
      return new RedisProcess(await startRedis({ appendfsync: 'everysec', dir }));
    } catch (error) {
      removeTempDir(dir);
      throw error;
    }
  }

  get port(): number {
    return this.#server.port;
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return this.#server.url;
  }

  get pid(): number {
    const pid = this.#server.pid;
    if (pid === undefined) throw new Error('redis-server is not running');
    return pid;
  }

  /** One section of INFO (memory, stats, clients…) as fields. */
  async info(section: string): Promise<Map<string, string>> {
    return parseInfo(await redisCommand(this.port, ['INFO', section]));
  }

  /** SIGTERM, wait for the exit, remove the data directory. */
  async stop(): Promise<void> {
    await this.#server.stop();
    removeTempDir(this.#server.dir);
  }
}
