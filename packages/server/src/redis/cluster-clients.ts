import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { OpenClawError } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import { parseRedisUrl } from './redis-url.js';
import { createRedisClient } from './redis-client.js';
import type { ResolvedClusterSettings } from '../cluster/cluster-settings.js';
import { redactRedisUrl } from '../cluster/cluster-settings.js';

/** The cluster's Redis connections, and the Socket.IO adapter to build on them once they are up. */
export interface ClusterRedis {
  /** Commands (presence, ownership, heartbeats, the calls between processes). */
  command: Redis;
  /** Subscriber mode: this process's inbox of calls and replies (cluster-bus.ts). */
  subscriber: Redis;
  /** The adapter's own connections (closed with it), and the shared rate limits' one. */
  adapterClients: Redis[];
  /**
   * The shared rate limits: checked on every request, so it fails at once while Redis is away (each
   * process then counts alone) instead of holding every request up.
   */
  limits: Redis;
  /** Build the adapter factory; only after connect: the adapters do not catch a failed connect. */
  createAdapter(): ReturnType<typeof createPubSubAdapter> | ReturnType<typeof createStreamsAdapter>;
}

/** Open nothing yet (lazyConnect); connectClusterRedis() in the cluster's start. */
export function createClusterRedis(settings: ResolvedClusterSettings): ClusterRedis {
  const command = createRedisClient(parseRedisUrl(settings.redis, 'cluster.redis'), {
    connectionName: `openclaw-${settings.processId}`,
    // A command waits through a short Redis restart instead of failing at once.
    maxRetriesPerRequest: 20,
  });
  // The adapters do not catch a failed command: one that gave up during a long Redis outage would be an
  // unhandled rejection, which ends the process. Theirs wait for Redis instead, however long it takes.
  const patient = { maxRetriesPerRequest: null };
  const key = `${settings.keyPrefix}socket.io`;
  // The command client's error listener logs an outage once (cluster.ts); the others stay quiet
  // instead of ioredis printing "Unhandled error event" and a stack on stderr at every retry.
  const quiet = (client: Redis): Redis => client.on('error', () => undefined);
  const limits = quiet(command.duplicate({ enableOfflineQueue: false, commandTimeout: 1000 }));
  // Resubscribes by itself after a reconnect (ioredis autoResubscribe).
  const subscriber = quiet(command.duplicate(patient));
  if (settings.adapter === 'streams') {
    const base = quiet(command.duplicate(patient));
    return {
      command,
      subscriber,
      limits,
      adapterClients: [base, limits],
      createAdapter: () => createStreamsAdapter(base, { streamName: key }),
    };
  }
  const pub = quiet(command.duplicate(patient));
  const sub = quiet(command.duplicate(patient));
  return {
    command,
    subscriber,
    limits,
    adapterClients: [pub, sub, limits],
    createAdapter: () => createPubSubAdapter(pub, sub, { key }),
  };
}

/** Connect every client; CLUSTER_UNAVAILABLE naming the (redacted) address when Redis does not answer in time. */
export async function connectClusterRedis(
  clients: ClusterRedis,
  settings: ResolvedClusterSettings,
  timeoutMs = 10_000,
): Promise<void> {
  const all = [clients.command, clients.subscriber, ...clients.adapterClients];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OpenClawError(
            'CLUSTER_UNAVAILABLE',
            `Redis at ${redactRedisUrl(settings.redis)} did not answer within ${timeoutMs} ms`,
            { details: { field: 'cluster.redis' } },
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([
      Promise.all(all.map((c) => (c.status === 'wait' ? c.connect() : waitReady(c)))).then(() => undefined),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function waitReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => client.once('ready', () => resolve()));
}

/** Close every client (after the adapter was closed with the Socket.IO server). */
export async function quitClusterRedis(clients: ClusterRedis): Promise<void> {
  await Promise.all(
    [clients.command, clients.subscriber, ...clients.adapterClients].map(async (c) => {
      // QUIT waits for a connection; a client that has none (Redis never answered) just stops.
      if (c.status !== 'ready') return c.disconnect();
      await c.quit().catch(() => c.disconnect());
    }),
  );
}
