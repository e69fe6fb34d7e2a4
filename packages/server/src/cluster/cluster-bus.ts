import {
  OpenClawError,
  fromErrorPayload,
  isErrorPayload,
  toErrorPayload,
  type ErrorPayload,
} from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AgentNamespace } from '../gateway/types.js';
import type { NodeRecord } from './node-record.js';
import { messageIdSource } from '../redis/message-ids.js';

/** What processes tell each other; `from` is the sender's process id. */
export type ClusterMessage =
  | { t: 'node'; from: string; record: NodeRecord }
  | { t: 'gone'; from: string; node_id: string; connection_id: string }
  | { t: 'call'; from: string; to: string; id: string; method: string; args: unknown }
  | { t: 'reply'; from: string; to: string; id: string; ok: boolean; value?: unknown; error?: ErrorPayload };

export type Announcement = Extract<ClusterMessage, { t: 'node' | 'gone' }>;
type Handler = (args: unknown, from: string) => Promise<unknown>;

const EVENT = 'openclaw:cluster';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Messages between server processes over the Socket.IO adapter's server-side channel: announcements
 * to every process, and calls to one process answered by a reply (with a deadline).
 */
export class ClusterBus {
  readonly #namespace: AgentNamespace;
  readonly #self: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  readonly #handlers = new Map<string, Handler>();
  readonly #calls = new Map<string, PendingCall>();
  readonly #callId = messageIdSource();
  readonly #listeners = new Set<(message: Announcement) => void>();
  readonly #onMessage = (message: unknown): void => this.#receive(message);
  #closed = false;

  constructor(namespace: AgentNamespace, self: string, timeoutMs: number, logger: Logger) {
    this.#namespace = namespace;
    this.#self = self;
    this.#timeoutMs = timeoutMs;
    this.#logger = logger;
    namespace.on(EVENT, this.#onMessage);
  }

  /** Tell every other process about a node. */
  announce(
    message: { t: 'node'; record: NodeRecord } | { t: 'gone'; node_id: string; connection_id: string },
  ): void {
    this.#send({ ...message, from: this.#self });
  }

  onAnnouncement(listener: (message: Announcement) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Serve `method` for calls from other processes; an OpenClawError thrown travels back as is. */
  handle(method: string, handler: Handler): void {
    this.#handlers.set(method, handler);
  }

  /** Call `method` on process `to`; CLUSTER_UNAVAILABLE when it does not answer within the deadline. */
  call(to: string, method: string, args: unknown, timeoutMs = this.#timeoutMs): Promise<unknown> {
    if (this.#closed) return Promise.reject(unavailable(to, method, 'this server process is stopping'));
    const id = this.#callId();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(unavailable(to, method, `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#calls.set(id, { resolve, reject, timer });
      this.#send({ t: 'call', from: this.#self, to, id, method, args });
    });
  }

  /** Stop listening; calls still waiting fail. */
  close(): void {
    this.#closed = true;
    this.#namespace.off(EVENT, this.#onMessage);
    for (const [id, call] of this.#calls) {
      clearTimeout(call.timer);
      call.reject(unavailable('?', id, 'this server process is stopping'));
    }
    this.#calls.clear();
  }

  #send(message: ClusterMessage): void {
    if (this.#closed) return;
    this.#namespace.serverSideEmit(EVENT, message);
  }

  #receive(raw: unknown): void {
    if (this.#closed || typeof raw !== 'object' || raw === null) return;
    const message = raw as ClusterMessage;
    if (message.from === this.#self) return;
    switch (message.t) {
      case 'node':
      case 'gone':
        for (const listener of this.#listeners) listener(message);
        return;
      case 'call':
        if (message.to === this.#self) void this.#serve(message);
        return;
      case 'reply':
        if (message.to === this.#self) this.#settle(message);
        return;
      default:
        this.#logger.warn({ type: (message as { t?: unknown }).t }, 'unknown cluster message ignored');
    }
  }

  async #serve(call: Extract<ClusterMessage, { t: 'call' }>): Promise<void> {
    const handler = this.#handlers.get(call.method);
    const reply = { t: 'reply' as const, from: this.#self, to: call.from, id: call.id };
    try {
      if (!handler) throw new OpenClawError('INTERNAL_ERROR', `No cluster method "${call.method}"`);
      const value = await handler(call.args, call.from);
      this.#send({ ...reply, ok: true, value });
    } catch (error) {
      if (!(error instanceof OpenClawError)) {
        this.#logger.error({ err: error, method: call.method }, 'cluster call failed');
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

function unavailable(to: string, method: string, why: string): OpenClawError {
  return new OpenClawError('CLUSTER_UNAVAILABLE', `Server process ${to} did not answer (${method}): ${why}`, {
    details: { process_id: to },
  });
}
