import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { OpenClawError } from '@openclaw-node/core';
import { Redis } from 'ioredis';
import type { ResolvedClusterSettings } from './cluster-settings.js';
import { redactRedisUrl } from './cluster-settings.js';

/** The cluster's Redis connections and the Socket.IO adapter factory built on them. */
export interface ClusterRedis {
  /** Commands (presence, ownership, heartbeats). */
  command: Redis;
  /** Extra connections the adapter uses (closed with it). */
  adapterClients: Redis[];
  adapter: ReturnType<typeof createPubSubAdapter> | ReturnType<typeof createStreamsAdapter>;
}

/** Open nothing yet (lazyConnect); connect() in the cluster's start. */
export function createClusterRedis(settings: ResolvedClusterSettings): ClusterRedis {
  const command = new Redis(settings.redis, {
    lazyConnect: true,
    connectionName: `openclaw-${settings.processId}`,
    // A command waits through a short Redis restart instead of failing at once.
    maxRetriesPerRequest: 20,
  });
  if (settings.adapter === 'streams') {
    return {
      command,
      adapterClients: [],
      adapter: createStreamsAdapter(command, { streamName: `${settings.keyPrefix}socket.io` }),
    };
  }
  const pub = command.duplicate();
  const sub = command.duplicate();
  return {
    command,
    adapterClients: [pub, sub],
    adapter: createPubSubAdapter(pub, sub, { key: `${settings.keyPrefix}socket.io` }),
  };
}

/** Connect every client; CLUSTER_UNAVAILABLE naming the (redacted) address when Redis does not answer in time. */
export async function connectClusterRedis(
  clients: ClusterRedis,
  settings: ResolvedClusterSettings,
  timeoutMs = 10_000,
): Promise<void> {
  const all = [clients.command, ...clients.adapterClients];
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
    [clients.command, ...clients.adapterClients]
      .filter((c) => c.status !== 'end')
      .map((c) =>
        c.quit().then(
          () => undefined,
          () => c.disconnect(),
        ),
      ),
  );
}
