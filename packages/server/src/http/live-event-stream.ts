import { PassThrough } from 'node:stream';
import type { LiveEventView } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { Principal } from '../security/auth/auth-provider.js';
import { canSeeNode } from '../security/auth/permissions.js';
import type { JobStore } from '../jobs/index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { toNodeSummary } from '../nodes/node-views.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';

export interface LiveEventStreamOptions {
  registry: NodeRegistry;
  jobs: PendingJobs;
  store: JobStore;
  principal: Principal | undefined;
  heartbeatMs: number;
  /** Called at every heartbeat: false when the credential is no longer valid (revoked, expired). */
  stillValid: () => Promise<boolean>;
  logger: Logger;
}

/** A reader this far behind is cut (it reconnects and reloads) rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 3000;

/**
 * `GET /api/events`: nodes coming, going and reporting health, and job state changes, as
 * Server-Sent Events, limited to the nodes the principal may see. At each heartbeat the credential is
 * checked again: a revoked or expired one gets an `auth` event and the stream ends.
 */
export class LiveEventStream {
  readonly body = new PassThrough();
  readonly #o: LiveEventStreamOptions;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #onClose = new Set<() => void>();
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LiveEventStreamOptions) {
    this.#o = options;
    this.body.on('close', () => this.close());
    this.body.on('error', () => this.close());
  }

  start(): void {
    const { registry, store, principal } = this.#o;
    this.#unsubscribe.push(
      registry.onChange(({ type, session }) => {
        if (!canSeeNode(principal, session.nodeId)) return;
        if (type === 'unregister') {
          this.#send('node', { type: 'node', op: 'down', node_id: session.nodeId });
          return;
        }
        // Replaced sessions announce themselves after the old one left: only the current one is up.
        if (registry.get(session.nodeId) !== session) return;
        this.#send('node', {
          type: 'node',
          op: type === 'register' ? 'up' : 'health',
          node: toNodeSummary(session, this.#o.jobs.forNode(session.nodeId).length),
        });
      }),
    );
    this.#unsubscribe.push(
      store.subscribe((event) => {
        if (event.type !== 'state') return;
        // The event names only the job: its node decides who may hear of it.
        store.get(event.job_id).then(
          (record) => {
            if (!record || !canSeeNode(principal, record.node_id)) return;
            this.#send('job', {
              type: 'job',
              job_id: record.command_id,
              node_id: record.node_id,
              action: record.action,
              state: event.data.state,
            });
          },
          (error: unknown) => this.#o.logger.debug({ err: error }, 'live event: job lookup failed'),
        );
      }),
    );
    this.#write(`retry: ${RETRY_MS}\n\nevent: ready\ndata: {"type":"ready"}\n\n`);
    this.#heartbeat = setInterval(() => void this.#beat(), this.#o.heartbeatMs);
    this.#heartbeat.unref();
  }

  onClose(listener: () => void): void {
    this.#onClose.add(listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (!this.body.writableEnded) this.body.end();
    for (const listener of this.#onClose) listener();
  }

  async #beat(): Promise<void> {
    const valid = await this.#o.stillValid().catch(() => false);
    if (!valid) {
      this.#write('event: auth\ndata: {"code":"AUTH_INVALID","message":"The token is no longer valid"}\n\n');
      this.close();
      return;
    }
    this.#write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }

  #send(event: 'node' | 'job', data: LiveEventView): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  #write(text: string): void {
    if (this.#closed || this.body.writableEnded) return;
    if (this.body.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.body.write(text);
  }
}
