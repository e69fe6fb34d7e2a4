import type { Namespace, Server as SocketServer } from 'socket.io';
import { isRemoteConnection } from '../cluster/remote-connection.js';
import type { JobStore } from '../jobs/index.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { GatewayObserver } from '../gateway/types.js';
import type { ServerMetrics } from './server-metrics.js';

/** The refusal codes counted as authentication failures (REST and agent handshakes alike). */
export const AUTH_CODES: ReadonlySet<string> = new Set(['AUTH_REQUIRED', 'AUTH_INVALID', 'FORBIDDEN']);

/** Connected nodes held by this process (not those another scale-out process holds), by platform. */
export function agentsByPlatform(registry: NodeRegistry): Map<string, number> {
  const counts = new Map<string, number>();
  for (const session of registry.list()) {
    if (isRemoteConnection(session.connection)) continue;
    counts.set(session.platform, (counts.get(session.platform) ?? 0) + 1);
  }
  return counts;
}

/** Time each job store write (the store times them where it can: see JobStore.observeWrites). */
export function timeStoreWrites(store: TimedStore, metrics: ServerMetrics): void {
  store.observeWrites((op, seconds) => metrics.storeWrite(op, seconds));
}

/** A store that can always time its writes (the server's JobStoreHandle). */
export type TimedStore = JobStore & Required<Pick<JobStore, 'observeWrites'>>;

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
