import {
  OpenClawError,
  fromErrorPayload,
  isErrorPayload,
  toErrorPayload,
  type ErrorPayload,
} from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AgentNamespace } from '../gateway/types.js';
import type { NodeRecord } from './node-record.js';
import { messageIdSource } from '../redis/message-ids.js';

/** What processes tell each other; `from` is the sender's process id. */
export type ClusterMessage =
  | { t: 'node'; from: string; record: NodeRecord }
  | { t: 'gone'; from: string; node_id: string; connection_id: string }
  | { t: 'call'; from: string; to: string; id: string; method: string; args: unknown }
  | { t: 'tell'; from: string; to: string; method: string; args: unknown }
  | { t: 'reply'; from: string; to: string; id: string; ok: boolean; value?: unknown; error?: ErrorPayload };

export type Announcement = Extract<ClusterMessage, { t: 'node' | 'gone' }>;

/**
 * The success reply of one call, ready to publish: a handler that writes to Redis anyway can publish
 * it in the same script (one round trip less) and return REPLIED.
 */
export interface PreparedReply {
  channel: string;
  /** The reply's JSON carrying `value`. */
  ok(value: unknown): string;
}

/** A call registered (a reply is accepted) but not published yet (ClusterBus.prepareCall). */
export interface PreparedCall {
  channel: string;
  message: string;
  /**
   * Settles with the reply, or CLUSTER_UNAVAILABLE at the deadline (or when the bus closes); never
   * once cancelled.
   */
  result: Promise<unknown>;
  /** It went out: its deadline starts. */
  published(): void;
  /** It was not published after all: forget it. */
  cancel(): void;
}

/** Returned by a handler that published its reply itself (PreparedReply). */
export const REPLIED: unique symbol = Symbol('openclaw.cluster.replied');

/** `reply` is undefined for a tell: nobody waits for an answer, and a failure is only logged. */
type Handler = (args: unknown, from: string, reply: PreparedReply | undefined) => Promise<unknown>;

const EVENT = 'openclaw:cluster';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The deadline, from when the call was published. */
  timer: NodeJS.Timeout | undefined;
}

export interface ClusterBusOptions {
  /** Announcements go to every process over the Socket.IO adapter's server-side channel. */
  namespace: AgentNamespace;
  /** Publishes calls and replies. */
  publisher: Redis;
  /** In subscriber mode: receives this process's inbox. */
  subscriber: Redis;
  /** The pub/sub channel of one process's calls and replies. */
  inbox: (processId: string) => string;
  self: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Messages between server processes: announcements to every process (the Socket.IO adapter's
 * server-side channel), and calls to one process answered by a reply (with a deadline), published
 * on the inbox channel of the one process they are for — a broadcast would wake every process twice
 * per call, the caller included, to read and drop messages for someone else.
 */
export class ClusterBus {
  readonly #o: ClusterBusOptions;
  readonly #inbox: string;
  readonly #handlers = new Map<string, Handler>();
  readonly #calls = new Map<string, PendingCall>();
  readonly #callId = messageIdSource();
  readonly #listeners = new Set<(message: Announcement) => void>();
  readonly #onAnnouncement = (message: unknown): void => this.#announced(message);
  readonly #onInbox = (channel: string, message: string): void => {
    if (channel === this.#inbox) this.receive(message);
  };
  #closed = false;

  constructor(options: ClusterBusOptions) {
    this.#o = options;
    this.#inbox = options.inbox(options.self);
    options.namespace.on(EVENT, this.#onAnnouncement);
    options.subscriber.on('message', this.#onInbox);
  }

  /** Listen on this process's inbox (after the subscriber connected). */
  async start(): Promise<void> {
    await this.#o.subscriber.subscribe(this.#inbox);
  }

  /** Tell every other process about a node. */
  announce(
    message: { t: 'node'; record: NodeRecord } | { t: 'gone'; node_id: string; connection_id: string },
  ): void {
    if (this.#closed) return;
    this.#o.namespace.serverSideEmit(EVENT, { ...message, from: this.#o.self });
  }

  onAnnouncement(listener: (message: Announcement) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A message for this process that came another way than its inbox (a hand-over published with a
   * job's first event, redis-handovers.ts): checked and served as one from the inbox.
   */
  receive(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      this.#o.logger.warn('unreadable cluster message ignored');
      return;
    }
    this.#direct(parsed);
  }

  /** A one-way message for `to` (served there by handle(method), never answered), for the caller to publish. */
  prepareTell(to: string, method: string, args: unknown): string {
    const message: ClusterMessage = { t: 'tell', from: this.#o.self, to, method, args };
    return JSON.stringify(message);
  }

  /** Serve `method` for calls from other processes; an OpenClawError thrown travels back as is. */
  handle(method: string, handler: Handler): void {
    this.#handlers.set(method, handler);
  }

  /** Call `method` on process `to`; CLUSTER_UNAVAILABLE when it does not answer within the deadline. */
  call(to: string, method: string, args: unknown, timeoutMs = this.#o.timeoutMs): Promise<unknown> {
    const call = this.prepareCall(to, method, args, timeoutMs);
    if (!call) return Promise.reject(unavailable(to, method, 'this server process is stopping'));
    this.#publish(call.channel, call.message);
    call.published();
    return call.result;
  }

  /**
   * A call for the caller to publish itself — in a Redis script that writes anyway (one round trip
   * less) — then say `published()` (its deadline runs from there), or to `cancel`. A reply is
   * accepted from the start. Undefined once the bus is closed.
   */
  prepareCall(
    to: string,
    method: string,
    args: unknown,
    timeoutMs = this.#o.timeoutMs,
  ): PreparedCall | undefined {
    if (this.#closed) return undefined;
    const id = this.#callId();
    let pending!: PendingCall;
    const result = new Promise<unknown>((resolve, reject) => {
      pending = { resolve, reject, timer: undefined };
    });
    this.#calls.set(id, pending);
    // Closing the bus rejects it even before the caller has attached its own handler (its create
    // still in flight): that must not be an unhandled rejection. Handlers attached later still run.
    result.catch(() => undefined);
    const message: ClusterMessage = { t: 'call', from: this.#o.self, to, id, method, args };
    return {
      channel: this.#o.inbox(to),
      message: JSON.stringify(message),
      result,
      published: () => {
        if (this.#calls.get(id) !== pending) return;
        pending.timer = setTimeout(() => {
          this.#calls.delete(id);
          pending.reject(unavailable(to, method, `no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      },
      cancel: () => {
        clearTimeout(pending.timer);
        if (this.#calls.get(id) === pending) this.#calls.delete(id);
      },
    };
  }

  /** Stop listening; calls still waiting fail. */
  close(): void {
    this.#closed = true;
    this.#o.namespace.off(EVENT, this.#onAnnouncement);
    this.#o.subscriber.off('message', this.#onInbox);
    for (const [id, call] of this.#calls) {
      clearTimeout(call.timer);
      call.reject(unavailable('?', id, 'this server process is stopping'));
    }
    this.#calls.clear();
  }

  #send(message: Extract<ClusterMessage, { t: 'reply' }>): void {
    this.#publish(this.#o.inbox(message.to), JSON.stringify(message));
  }

  #publish(channel: string, message: string): void {
    if (this.#closed) return;
    // A message Redis did not take is lost like one published while nobody listened: the call's
    // deadline settles it (a connection error is logged by the cluster).
    this.#o.publisher.publish(channel, message).catch(() => undefined);
  }

  #announced(raw: unknown): void {
    if (this.#closed || typeof raw !== 'object' || raw === null) return;
    const message = raw as Announcement;
    if (message.from === this.#o.self || (message.t !== 'node' && message.t !== 'gone')) return;
    for (const listener of this.#listeners) listener(message);
  }

  /**
   * A message on this process's inbox: a call, a tell or a reply, for this process, with string ids —
   * else dropped (a reply goes to an inbox named after `from`, which must be a string).
   */
  #direct(raw: unknown): void {
    if (this.#closed || typeof raw !== 'object' || raw === null) return;
    const m = raw as Record<string, unknown>;
    const from = typeof m.from === 'string' && m.to === this.#o.self && m.from !== this.#o.self;
    const addressed = from && typeof m.id === 'string';
    if (from && m.t === 'tell' && typeof m.method === 'string') {
      const tell = raw as Extract<ClusterMessage, { t: 'tell' }>;
      void this.#serveTell(tell);
    } else if (addressed && m.t === 'call' && typeof m.method === 'string') {
      const call = raw as Extract<ClusterMessage, { t: 'call' }>;
      void this.#serve(call).catch((error: unknown) => {
        this.#o.logger.error({ err: error, method: call.method.slice(0, 64) }, 'cluster call failed');
      });
    } else if (addressed && m.t === 'reply' && typeof m.ok === 'boolean') {
      this.#settle(raw as Extract<ClusterMessage, { t: 'reply' }>);
    } else {
      this.#o.logger.warn(
        { type: typeof m.t === 'string' ? m.t.slice(0, 32) : typeof m.t },
        'unusable cluster message ignored',
      );
    }
  }

  async #serveTell(tell: Extract<ClusterMessage, { t: 'tell' }>): Promise<void> {
    try {
      const handler = this.#handlers.get(tell.method);
      if (!handler)
        throw new OpenClawError('INTERNAL_ERROR', `No cluster method "${tell.method.slice(0, 64)}"`);
      await handler(tell.args, tell.from, undefined);
    } catch (error) {
      this.#o.logger.error({ err: error, method: tell.method.slice(0, 64) }, 'cluster message failed');
    }
  }

  async #serve(call: Extract<ClusterMessage, { t: 'call' }>): Promise<void> {
    const handler = this.#handlers.get(call.method);
    const reply = { t: 'reply' as const, from: this.#o.self, to: call.from, id: call.id };
    const prepared: PreparedReply = {
      channel: this.#o.inbox(call.from),
      ok: (value) => JSON.stringify({ ...reply, ok: true, value }),
    };
    try {
      if (!handler)
        throw new OpenClawError('INTERNAL_ERROR', `No cluster method "${call.method.slice(0, 64)}"`);
      const value = await handler(call.args, call.from, prepared);
      if (value !== REPLIED) this.#send({ ...reply, ok: true, value });
    } catch (error) {
      if (!(error instanceof OpenClawError)) {
        this.#o.logger.error({ err: error, method: call.method.slice(0, 64) }, 'cluster call failed');
      }
      this.#send({ ...reply, ok: false, error: toErrorPayload(error) });
    }
  }
  #settle(reply: Extract<ClusterMessage, { t: 'reply' }>): void {
    const call = this.#calls.get(reply.id);
    if (!call) return;
    this.#calls.delete(reply.id);
    clearTimeout(call.timer);
    if (reply.ok) call.resolve(reply.value);
    else
      call.reject(
        isErrorPayload(reply.error) ? fromErrorPayload(reply.error) : new OpenClawError('INTERNAL_ERROR'),
      );
  }
}

/** CLUSTER_UNAVAILABLE naming process `to`: it did not answer `method`, and why. */
export function unavailable(to: string, method: string, why: string): OpenClawError {
  return new OpenClawError('CLUSTER_UNAVAILABLE', `Server process ${to} did not answer (${method}): ${why}`, {
    details: { process_id: to },
  });
}
