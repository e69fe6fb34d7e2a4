import type { Redis } from 'ioredis';

export interface AuthFailureWatchOptions {
  /** Reads the recent failures when the watch (re)starts. */
  client: Redis;
  /** In subscriber mode; shared (each listener filters its channel). */
  subscriber: Redis;
  /** Where every process publishes the address of each failure it records. */
  channel: string;
  /** Sorted set: address → Redis time (ms) of its last failure, trimmed to the window. */
  recent: string;
  windowMs: number;
  /** More addresses than this in one window: the watch stops answering (every check asks Redis). */
  maxAddresses?: number;
  /** The local clock, monotonic (tests move it). */
  now?: () => number;
}

/** Heard times are compared on the local clock, Redis's on its own: this much of either way is allowed. */
const CLOCK_MARGIN_MS = 2000;
const DEFAULT_MAX_ADDRESSES = 100_000;
/** A read that failed is tried again after this, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Which addresses failed to authenticate recently anywhere in the cluster: every failure recorded in
 * Redis is also published, and when the watch starts (and after its connection comes back) it reads
 * the ones recorded before it listened. A request from any other address then passes the shared
 * failed-login limit without a Redis command — before, every authenticated request of a scale-out
 * server paid a round trip (ZCARD) for it. Whenever the watch cannot be sure (not listening yet,
 * disconnected, more addresses than it keeps), `clean` says false and the caller asks Redis.
 */
export class AuthFailureWatch {
  readonly #o: AuthFailureWatchOptions;
  readonly #now: () => number;
  readonly #max: number;
  /** How long a heard failure keeps its address from counting as clean: the window, and the margin. */
  readonly #horizonMs: number;
  /** Address → local time its last failure was heard. */
  readonly #heard = new Map<string, number>();
  #listening = false;
  /** Too many addresses: no answers before this (local) time, then a fresh read. */
  #floodedUntil = 0;
  #warming: Promise<void> | undefined;
  /** A read was asked for while one ran: run another after it. */
  #again = false;
  /** Bumped when the subscriber's connection closes: a read that began before cannot vouch for after. */
  #generation = 0;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = RETRY_FIRST_MS;
  #started = false;
  #stopped = false;
  readonly #onMessage = (channel: string, address: string): void => {
    if (channel === this.#o.channel) this.note(address);
  };
  readonly #onClose = (): void => {
    this.#listening = false;
    this.#generation++;
  };
  readonly #onReady = (): void => {
    // After a reconnect: failures published meanwhile were missed, read them again.
    if (this.#started) void this.#warm();
  };

  constructor(options: AuthFailureWatchOptions) {
    this.#o = options;
    // Monotonic: a step of the wall clock must not age every failure at once.
    this.#now = options.now ?? (() => performance.now());
    this.#max = options.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
    this.#horizonMs = options.windowMs + CLOCK_MARGIN_MS;
    options.subscriber.on('message', this.#onMessage);
    options.subscriber.on('close', this.#onClose);
    options.subscriber.on('ready', this.#onReady);
  }

  /** Start listening (after the connections are up); a failure leaves the watch silent, not broken. */
  start(): Promise<void> {
    this.#started = true;
    return this.#warm();
  }

  stop(): void {
    this.#stopped = true;
    this.#listening = false;
    clearTimeout(this.#retry);
    this.#o.subscriber.off('message', this.#onMessage);
    this.#o.subscriber.off('close', this.#onClose);
    this.#o.subscriber.off('ready', this.#onReady);
  }

  /** A failure of `address` (heard, or recorded by this process). */
  note(address: string, at = this.#now()): void {
    this.#heard.set(address, at);
    if (this.#heard.size <= this.#max) return;
    // Only the addresses of the last window count: drop the older ones first.
    const now = this.#now();
    for (const [known, heardAt] of this.#heard) {
      if (now - heardAt >= this.#horizonMs) this.#heard.delete(known);
    }
    if (this.#heard.size <= this.#max) return;
    this.#heard.clear();
    this.#floodedUntil = now + this.#horizonMs;
  }

  /** True when no failure of `address` can be in the window: it passes without asking Redis. */
  clean(address: string): boolean {
    if (!this.#listening) return false;
    const now = this.#now();
    if (this.#floodedUntil !== 0) {
      if (now < this.#floodedUntil) return false;
      this.#floodedUntil = 0;
      void this.#warm();
      return false;
    }
    const at = this.#heard.get(address);
    if (at === undefined) return true;
    if (now - at < this.#horizonMs) return false;
    this.#heard.delete(address);
    return true;
  }

  /** Subscribe, then read what was recorded before: only then are the answers complete. */
  #warm(): Promise<void> {
    if (this.#warming) {
      this.#again = true;
      return this.#warming;
    }
    clearTimeout(this.#retry);
    this.#warming = this.#read().finally(() => {
      this.#warming = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.#warm();
      }
    });
    return this.#warming;
  }

  /** A read that could not vouch for its answers: try again later (the subscriber may never say 'ready' again). */
  #retryLater(): void {
    if (this.#stopped || !this.#started) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#warm(), this.#retryMs);
    this.#retry.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  async #read(): Promise<void> {
    const { client, subscriber, channel, recent } = this.#o;
    this.#listening = false;
    const generation = this.#generation;
    try {
      await subscriber.subscribe(channel);
      const replies = await client
        .multi()
        .time()
        .zrangebyscore(recent, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, this.#max + 1)
        .exec();
      const [seconds, micros] = replies?.[0]?.[1] as [string, string];
      const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const entries = replies?.[1]?.[1] as string[];
      if (this.#stopped) return;
      if (entries.length / 2 > this.#max) {
        this.#floodedUntil = this.#now() + this.#horizonMs;
      } else {
        const now = this.#now();
        for (let i = 0; i < entries.length; i += 2) {
          const age = redisNow - Number(entries[i + 1]);
          if (age < this.#horizonMs) this.note(entries[i]!, now - Math.max(0, age));
        }
      }
      // The subscriber's connection closed during the read: failures may have been missed after it.
      if (generation !== this.#generation || subscriber.status !== 'ready') return this.#retryLater();
      this.#listening = true;
      this.#retryMs = RETRY_FIRST_MS;
    } catch {
      // Redis away: checks keep asking it (and fall back to this process's own count) until a read
      // succeeds (on the subscriber's next 'ready', or the retry).
      this.#retryLater();
    }
  }
}
