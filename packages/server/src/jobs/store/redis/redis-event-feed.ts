import { AsyncResource } from 'node:async_hooks';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobEventHub } from '../job-event-hub.js';
import { carryEndedRow } from './redis-ended-rows.js';
import { carryHandover } from './redis-handovers.js';
import { parseStoredEvent } from './redis-rows.js';

/** Options of RedisEventFeed. */
export interface RedisEventFeedOptions {
  /** The command connection: reads the stream to catch up. */
  client: Redis;
  /** A dedicated connection in subscriber mode. */
  subscriber: Redis;
  channel: string;
  stream: string;
  hub: JobEventHub;
  display: string;
  logger?: Pick<Logger, 'info' | 'warn'> | undefined;
}

/**
 * A published event: its stream id, the write id of the call that wrote it, its JSON, and the line
 * after it: the row of the job it ended, or (`>…`) a hand-over for one process (redis-handovers.ts).
 */
type Entry = [id: string, writeId: string, json: string, tail?: string];

/**
 * Order of two stream ids `<ms>-<seq>` (decimal, no leading zeros, as Redis writes them; a missing
 * `-<seq>` counts as 0). Compared as numerals — the longer one is larger, then by characters — so
 * that a sequence past 2^53 still orders exactly, without parsing: every event is compared on
 * every process.
 */
export function compareStreamIds(a: string, b: string): number {
  const i = a.indexOf('-');
  const j = b.indexOf('-');
  const ms = compareNumerals(i < 0 ? a : a.slice(0, i), j < 0 ? b : b.slice(0, j));
  if (ms !== 0) return ms;
  return compareNumerals(i < 0 ? '0' : a.slice(i + 1), j < 0 ? '0' : b.slice(j + 1));
}

function compareNumerals(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

const CATCH_UP_PAGE = 500;
const RETRY_MS = 1000;

/**
 * The events of every process sharing the Redis, delivered to this store's subscribers exactly once
 * and in commit order. Live events come over pub/sub; each carries its id in the event stream, so
 * after the subscriber reconnects (a Redis restart, a network cut) the events published meanwhile are
 * read back from the stream before live delivery resumes, and nothing is delivered twice.
 */
export class RedisEventFeed {
  readonly #o: RedisEventFeedOptions;
  /** The stream id of the last event delivered. */
  #last = '0-0';
  #syncing = true;
  readonly #buffer: Entry[] = [];
  /** Write ids of this store's calls in flight → the async context they run in. */
  readonly #own = new Map<string, AsyncResource>();
  readonly #waiters = new Set<{ id: string; done: () => void }>();
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;
  /** Catch-ups run one after another (two reconnects in a row must not interleave). */
  #sync: Promise<void> = Promise.resolve();

  constructor(options: RedisEventFeedOptions) {
    this.#o = options;
  }

  /** Subscribe and start delivering the events committed from now on. */
  async start(): Promise<void> {
    const { subscriber, client, channel, stream } = this.#o;
    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      const first = message.indexOf('\n');
      const second = message.indexOf('\n', first + 1);
      if (first < 0 || second < 0) return;
      // An ending write sends the job's row after its event, on a line of its own (JSON has no raw
      // newline); a create may send a hand-over there instead.
      const third = message.indexOf('\n', second + 1);
      const entry: Entry = [
        message.slice(0, first),
        message.slice(first + 1, second),
        third < 0 ? message.slice(second + 1) : message.slice(second + 1, third),
      ];
      if (third >= 0) entry.push(message.slice(third + 1));
      if (this.#syncing) this.#buffer.push(entry);
      else this.#deliver(...entry);
    });
    await subscriber.subscribe(channel);
    const [newest] = await client.xrevrange(stream, '+', '-', 'COUNT', 1);
    if (newest) this.#last = newest[0];
    this.#flush();
    subscriber.on('ready', () => this.#resync());
  }

  /**
   * Mark the events of write `writeId` as this caller's: subscribers get them in the caller's async
   * context (as with the other stores, whose events are emitted inside the write), so request-scoped
   * state such as the audit's request context is there. Call the returned function once delivered.
   */
  own(writeId: string): () => void {
    // An AsyncResource, not AsyncLocalStorage.snapshot(): on Node 20 a snapshot costs ~15 µs (its
    // AsyncResource#bind builds deprecation wrappers), paid by every write of a scale-out server.
    this.#own.set(writeId, new AsyncResource('openclaw.job-event'));
    return () => {
      this.#own.delete(writeId);
    };
  }

  /** Resolves once the event with stream id `id` has been delivered here, or after `timeoutMs`. */
  delivered(id: string, timeoutMs: number): Promise<void> {
    if (this.#stopped || compareStreamIds(id, this.#last) <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        id,
        done: () => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      // The write has committed either way: past the bound, the caller goes on and the event
      // reaches this store's subscribers when the subscriber connection catches up.
      const timer = setTimeout(waiter.done, timeoutMs);
      timer.unref();
      this.#waiters.add(waiter);
    });
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    for (const waiter of [...this.#waiters]) waiter.done();
    this.#o.subscriber.removeAllListeners('message');
  }

  /** After a reconnect: subscribe again, read what was published meanwhile, then go live. */
  #resync(): void {
    this.#syncing = true;
    this.#sync = this.#sync.then(() => this.#catchUp());
  }

  async #catchUp(): Promise<void> {
    if (this.#stopped) return;
    const { subscriber, client, channel, stream } = this.#o;
    const from = this.#last;
    try {
      await subscriber.subscribe(channel);
      for (;;) {
        const entries = await client.xrange(stream, `(${this.#last}`, '+', 'COUNT', CATCH_UP_PAGE);
        // The stream keeps the event alone: the line after it (an ended row, a hand-over) comes only
        // over pub/sub, so a copy heard while the stream was read lends it its line.
        const tails = new Map<string, string>();
        for (const [id, , , tail] of this.#buffer) if (tail !== undefined) tails.set(id, tail);
        for (const [id, fields] of entries) {
          const field = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
          this.#deliver(id, field('w'), field('e'), tails.get(id));
        }
        if (entries.length < CATCH_UP_PAGE || this.#stopped) break;
      }
      await this.#checkTrimmed(from);
      this.#flush();
    } catch (error) {
      if (this.#stopped) return;
      this.#o.logger?.warn(
        { redis: this.#o.display, reason: (error as Error).message },
        'job events: catching up after a reconnect failed; retrying',
      );
      clearTimeout(this.#retry);
      this.#retry = setTimeout(() => this.#resync(), RETRY_MS);
      this.#retry.unref();
    }
  }

  /** Warn when events after `from` were trimmed before they were read (away longer than the backlog). */
  async #checkTrimmed(from: string): Promise<void> {
    const info = (await this.#o.client.call('XINFO', 'STREAM', this.#o.stream).catch(() => [])) as unknown[];
    const at = info.indexOf('max-deleted-entry-id');
    const deleted = at >= 0 ? info[at + 1] : undefined;
    if (typeof deleted === 'string' && compareStreamIds(deleted, from) > 0) {
      this.#o.logger?.warn(
        { redis: this.#o.display, last_seen: from },
        'job events: some events were trimmed from the backlog before this process could read them',
      );
    }
  }

  #flush(): void {
    const pending = this.#buffer.splice(0).sort((a, b) => compareStreamIds(a[0], b[0]));
    this.#syncing = false;
    for (const entry of pending) this.#deliver(...entry);
  }

  #deliver(id: string, writeId: string, json: string, tail?: string): void {
    if (this.#stopped || compareStreamIds(id, this.#last) <= 0) return;
    this.#last = id;
    try {
      const event = parseStoredEvent(json);
      if (tail !== undefined && event.type === 'state') {
        if (tail.startsWith('>')) carryHandover(event, tail);
        else carryEndedRow(event, tail);
      }
      const owner = this.#own.get(writeId);
      if (owner) owner.runInAsyncScope(() => this.#o.hub.emitOne(event));
      else this.#o.hub.emitOne(event);
    } catch (error) {
      this.#o.logger?.warn({ reason: (error as Error).message }, 'job events: an event could not be read');
    }
    for (const waiter of this.#waiters) if (compareStreamIds(waiter.id, id) <= 0) waiter.done();
  }
}
