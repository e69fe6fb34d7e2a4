import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { isTerminal, type JobEvent, type JobStore } from './index.js';

export interface JobEventStreamOptions {
  store: JobStore;
  commandId: string;
  /** Replay events with seq greater than this (Last-Event-ID). */
  after: number;
  heartbeatMs: number;
  /** Closed after this long without a job event (EventSource reconnects from Last-Event-ID). */
  idleMs?: number;
  logger: Logger;
}

/** Tells a reconnecting EventSource how long to wait, in ms. */
const RETRY_MS = 3000;
const PAGE = 500;

/** One SSE message: `id` is the event's seq, `event` its type, `data` the whole event as JSON. */
export function formatSseEvent(event: JobEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * The Server-Sent Events of one job: what was stored after `after`, then live events, ending after the
 * terminal `state` event. Listening starts before the replay, so nothing falls between the two.
 */
export class JobEventStream {
  readonly body = new PassThrough();
  readonly #o: JobEventStreamOptions;
  #last: number;
  #replaying = true;
  readonly #buffer: JobEvent[] = [];
  #unsubscribe: () => void = () => {};
  #heartbeat: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #onClose = new Set<() => void>();

  constructor(options: JobEventStreamOptions) {
    this.#o = options;
    this.#last = options.after;
    this.body.on('close', () => this.close());
    this.body.on('error', () => this.close());
  }

  /** Start replaying and following; errors end the stream (the HTTP status was already sent). */
  start(): void {
    this.#unsubscribe = this.#o.store.subscribe((event) => {
      if (event.job_id !== this.#o.commandId) return;
      if (this.#replaying) this.#buffer.push(event);
      else this.#write(event);
    });
    this.body.write(`retry: ${RETRY_MS}\n\n`);
    this.#heartbeat = setInterval(
      () => this.#send(`: heartbeat ${new Date().toISOString()}\n\n`),
      this.#o.heartbeatMs,
    );
    this.#heartbeat.unref();
    this.#armIdle();
    this.#replay().catch((error: unknown) => {
      this.#o.logger.warn({ err: error, command_id: this.#o.commandId }, 'job event stream failed');
      this.close();
    });
  }

  /** Called once when the stream closes (client gone, job ended, server closing). */
  onClose(listener: () => void): void {
    this.#onClose.add(listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#idle);
    this.#unsubscribe();
    if (!this.body.writableEnded) this.body.end();
    for (const listener of this.#onClose) listener();
  }

  async #replay(): Promise<void> {
    const { store, commandId } = this.#o;
    for (;;) {
      const events = await store.listEvents(commandId, this.#last, PAGE);
      for (const event of events) this.#write(event);
      if (events.length < PAGE || this.#closed) break;
    }
    this.#replaying = false;
    for (const event of this.#buffer.splice(0).sort((a, b) => a.seq - b.seq)) this.#write(event);
    if (this.#closed) return;
    // Resumed after the end (or the end was trimmed away): nothing more will come.
    const record = await store.get(commandId);
    if (!record || isTerminal(record.state)) this.close();
  }

  #write(event: JobEvent): void {
    if (this.#closed || event.seq <= this.#last) return;
    this.#last = event.seq;
    this.#send(formatSseEvent(event));
    this.#armIdle();
    if (event.type === 'state' && isTerminal(event.data.state)) this.close();
  }

  #armIdle(): void {
    const { idleMs } = this.#o;
    if (idleMs === undefined || this.#closed) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      this.#send(`: idle for ${idleMs} ms; reconnect with Last-Event-ID to go on\n\n`);
      this.close();
    }, idleMs);
    this.#idle.unref();
  }

  #send(text: string): void {
    if (!this.#closed && !this.body.writableEnded) this.body.write(text);
  }
}
