import { performance } from 'node:perf_hooks';
import type { Namespace, Server as SocketServer } from 'socket.io';
import { isRemoteConnection } from '../cluster/remote-connection.js';
import type { JobStore } from '../jobs/index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { GatewayObserver } from '../gateway/types.js';
import type { ServerMetrics } from './server-metrics.js';

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'AUTH_INVALID', 'FORBIDDEN']);

/** The store's writes, each timed (reads are not: they never block an exec). */
const STORE_WRITES = [
  'create',
  'transition',
  'updateProgress',
  'appendLog',
  'appendEvent',
  'expireQueued',
  'markInterruptedAsLost',
  'purge',
] as const;

/** Connected nodes held by this process (not those another scale-out process holds), by platform. */
export function agentsByPlatform(registry: NodeRegistry): Map<string, number> {
  const counts = new Map<string, number>();
  for (const session of registry.list()) {
    if (isRemoteConnection(session.connection)) continue;
    counts.set(session.platform, (counts.get(session.platform) ?? 0) + 1);
  }
  return counts;
}

/** Time each job store write: wraps the methods of this store object (the server's handle). */
export function timeStoreWrites(store: JobStore, metrics: ServerMetrics): void {
  for (const op of STORE_WRITES) {
    const write = store[op].bind(store) as (...args: unknown[]) => Promise<unknown>;
    // No async wrapper: the caller gets the store's own promise, the timing rides on it (one fewer
    // promise and await per write, two writes per exec).
    (store as unknown as Record<string, unknown>)[op] = (...args: unknown[]): Promise<unknown> => {
      const start = performance.now();
      const observe = (): void => metrics.storeWrite(op, (performance.now() - start) / 1000);
      // The store's methods are async: a failure is a rejection, timed like a success.
      const written = write(...args);
      written.then(observe, observe);
      return written;
    };
  }
}

/** Time each job on its node: from `add` (exec sent) to `delete` (answered, failed or cut off). */
export function timeNodeJobs(jobs: PendingJobs, metrics: ServerMetrics): void {
  jobs.onEnd((job) => metrics.nodeTime(job.action, (Date.now() - job.startedAt.getTime()) / 1000));
}

/** Count Socket.IO message packets (events and acks, not pings) and agent disconnects by reason. */
export function countSocketTraffic(io: SocketServer, agents: Namespace, metrics: ServerMetrics): void {
  io.engine.on('connection', (socket: NodeJS.EventEmitter) => {
    socket.on('packet', (packet: { type: string }) => {
      if (packet.type === 'message') metrics.messagesIn.inc();
    });
    socket.on('packetCreate', (packet: { type: string }) => {
      if (packet.type === 'message') metrics.messagesOut.inc();
    });
  });
  agents.on('connection', (socket) => {
    socket.on('disconnect', (reason: string) => metrics.disconnect(reason));
  });
}

/** What the agent gateway reports, into the metrics. */
export function gatewayObserver(metrics: ServerMetrics): GatewayObserver {
  return {
    hello: (outcome) => metrics.hello(outcome),
    handshakeRefused: (code) => {
      if (code === 'RATE_LIMITED') metrics.rateLimited('agent');
      else if (AUTH_CODES.has(code)) metrics.authFailure('agent', code);
    },
  };
}
