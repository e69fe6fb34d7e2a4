import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { withoutPassword } from './redis-url.js';

/** Options of RedisConnection. */
export interface RedisConnectionOptions {
  /** `redis://host:port[/db]`, for messages. */
  display: string;
  /** Scrubbed from every message. */
  password?: string | undefined;
  /** How long a call waits for a lost connection to come back. */
  offlineTimeoutMs: number;
  /** Which connection this is, in log lines: `commands` or `events`. */
  role: string;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
}

const AUTH_ERROR = /WRONGPASS|NOAUTH|invalid password|invalid username|NOPERM/i;

/**
 * One ioredis connection seen from the store: waits (bounded) for it to be ready, logs when it is
 * lost and back, and turns every failure into JOB_STORE_FAILED naming the address, never the password.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #o: RedisConnectionOptions;
  readonly #waiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  #lastError = '';
  #lost = false;
  #closed = false;
  readonly #onError = (error: Error): void => {
    this.#lastError = this.scrub(error.message);
    if (this.client.status === 'ready' || this.#lost) return;
    this.#lost = true;
    this.#o.logger?.warn(
      { redis: this.#o.display, connection: this.#o.role, reason: this.#lastError },
      'Redis connection lost; reconnecting',
    );
  };
  readonly #onReady = (): void => {
    if (this.#lost) {
      this.#o.logger?.info({ redis: this.#o.display, connection: this.#o.role }, 'Redis connection back');
    }
    this.#lost = false;
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
  };
  readonly #onEnd = (): void => this.#failWaiters();

  constructor(client: Redis, options: RedisConnectionOptions) {
    this.client = client;
    this.#o = options;
    client.on('error', this.#onError);
    client.on('ready', this.#onReady);
    client.on('end', this.#onEnd);
  }

  /** Connect for the first time; JOB_STORE_FAILED after `timeoutMs`, or at once for refused credentials. */
  async connect(timeoutMs: number): Promise<void> {
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    const onError = (error: Error): void => {
      if (AUTH_ERROR.test(error.message)) this.#failWaiters(error.message);
    };
    this.client.on('error', onError);
    try {
      await this.#waitReady(timeoutMs, (why) =>
        this.#failure(`Cannot connect to Redis at ${this.#o.display}: ${why}`),
      );
    } finally {
      this.client.off('error', onError);
    }
  }

  /** Resolves once the connection is ready; JOB_STORE_FAILED when it stays down past offlineTimeoutMs. */
  async ready(): Promise<void> {
    if (this.client.status === 'ready') return;
    await this.#waitReady(this.#o.offlineTimeoutMs, (why) =>
      this.#failure(
        `Redis at ${this.#o.display} is unreachable: no connection for ${this.#o.offlineTimeoutMs} ms (${why})`,
      ),
    );
  }

  /** A failed command as JOB_STORE_FAILED (an OpenClawError is passed through). */
  failure(error: unknown): OpenClawError {
    if (isOpenClawError(error)) return error;
    const message = this.scrub(error instanceof Error ? error.message : String(error));
    return this.#failure(`Redis at ${this.#o.display} failed: ${message}`);
  }

  /** `text` without the password. */
  scrub(text: string): string {
    return withoutPassword(text, this.#o.password);
  }

  /** Stop waiting (pending ready() calls fail with JOB_STORE_FAILED) and stop listening to the client. */
  close(): void {
    this.#closed = true;
    this.#failWaiters('the job store is closed');
    this.client.off('error', this.#onError);
    this.client.off('ready', this.#onReady);
    this.client.off('end', this.#onEnd);
  }

  #waitReady(timeoutMs: number, fail: (why: string) => OpenClawError): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    if (this.client.status === 'ready') return Promise.resolve();
    if (this.client.status === 'end') return Promise.reject(fail('the connection was closed'));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(this.#closed ? closedError() : fail(error.message));
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(fail(this.#lastError || 'no answer'));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  #failWaiters(reason = 'the connection was closed'): void {
    const error = new Error(this.scrub(reason));
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }

  // No `cause`: an ioredis error carries the failed command's arguments (AUTH's are the password).
  #failure(message: string): OpenClawError {
    return new OpenClawError('JOB_STORE_FAILED', this.scrub(message), {
      details: { store: 'redis', redis: this.#o.display },
    });
  }
}

/** JOB_STORE_FAILED for a call after close(). */
export function closedError(): OpenClawError {
  return new OpenClawError('JOB_STORE_FAILED', 'The job store is closed', { details: { store: 'redis' } });
}

/** Close a connection the store made: QUIT when it is up (pending replies arrive first), otherwise drop it. */
export async function shutdownClient(client: Redis): Promise<void> {
  // A last connection error while closing must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
