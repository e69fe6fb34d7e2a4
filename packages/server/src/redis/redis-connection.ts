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
  #wasReady = false;
  readonly #onError = (error: Error): void => {
    this.#lastError = this.scrub(error.message);
  };
  // A shutdown of Redis closes the socket without an 'error': a reconnect being scheduled is the sign.
  readonly #onReconnecting = (): void => {
    if (!this.#wasReady || this.#lost || this.#closed) return;
    this.#lost = true;
    this.#o.logger?.warn(
      { redis: this.#o.display, connection: this.#o.role, reason: this.#lastError || 'connection closed' },
      'Redis connection lost; reconnecting',
    );
  };
  readonly #onReady = (): void => {
    if (this.#lost) {
      this.#o.logger?.info({ redis: this.#o.display, connection: this.#o.role }, 'Redis connection back');
    }
    this.#lost = false;
    this.#wasReady = true;
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#lastError = '';
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters.clear();
  };
  readonly #onEnd = (): void => {
    clearTimeout(this.#flushTimer);
    this.#failWaiters();
  };
  #flushTimer: NodeJS.Timeout | undefined;
  // Commands sent just before the connection dropped (and any queued since) would otherwise wait for
  // the reconnect however long it takes; past the bound they fail, and are dropped so they never run late.
  readonly #onClose = (): void => {
    if (this.#flushTimer !== undefined || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      if (this.client.status === 'ready' || this.#closed) return;
      const flush = (this.client as unknown as { flushQueue?: (error: Error) => void }).flushQueue;
      const error = new Error(`the connection was lost and not back within ${this.#o.offlineTimeoutMs} ms`);
      flush?.call(this.client, Object.assign(error, { unreachable: true }));
      this.#onClose();
    }, this.#o.offlineTimeoutMs);
    this.#flushTimer.unref();
  };

  constructor(client: Redis, options: RedisConnectionOptions) {
    this.client = client;
    this.#o = options;
    client.on('error', this.#onError);
    client.on('ready', this.#onReady);
    client.on('reconnecting', this.#onReconnecting);
    client.on('close', this.#onClose);
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
    const unreachable = (error as { unreachable?: boolean } | undefined)?.unreachable === true;
    return this.#failure(
      `Redis at ${this.#o.display} ${unreachable ? 'is unreachable' : 'failed'}: ${message}`,
    );
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
    this.client.off('reconnecting', this.#onReconnecting);
    this.client.off('close', this.#onClose);
    this.client.off('end', this.#onEnd);
    clearTimeout(this.#flushTimer);
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
  if (client.status === 'ready') await client.quit().catch(() => undefined);
  if (client.status !== 'end') client.disconnect();
  // A command caught between a lost connection and this close would otherwise never settle.
  const flush = (client as unknown as { flushQueue?: (error: Error) => void }).flushQueue;
  flush?.call(client, new Error('Connection is closed.'));
}
