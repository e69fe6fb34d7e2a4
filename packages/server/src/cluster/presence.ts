import { OpenClawError, type PluginManifest } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AdvertisedPlugin, NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import type { Announcement, ClusterBus } from './cluster-bus.js';
import type { ClusterKeys } from './cluster-keys.js';
import { fromNodeRecord, parseNodeRecord, toNodeRecord, type NodeRecord } from './node-record.js';
import {
  createRemoteConnection,
  isRemoteConnection,
  type RemoteConnectionPeer,
} from './remote-connection.js';

export interface PresenceOptions {
  self: string;
  redis: Redis;
  keys: ClusterKeys;
  bus: ClusterBus;
  registry: NodeRegistry;
  catalog: PluginCatalog;
  pending: PendingJobs;
  peer: RemoteConnectionPeer;
  logger: Logger;
}

// Delete a node's record only if `connection_id` still holds it (a newer connection may have taken it).
const DELETE_IF_CONNECTION = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return 0 end
local ok, record = pcall(cjson.decode, json)
if ok and record.connection_id == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 1
end
return 0`;

// The same, for a reaper: and only while the owner's heartbeat key is still missing.
const REAP_NODE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
${DELETE_IF_CONNECTION}`;

/**
 * Shared presence: the nodes this process holds are written to Redis and announced; nodes held by
 * other processes appear in the local NodeRegistry as sessions with a RemoteConnection, so every
 * process lists, plans and validates for every node.
 */
export class Presence {
  readonly #o: PresenceOptions;
  readonly #manifests = new Map<string, PluginManifest>();
  /** Applied one at a time, in arrival order: a node's announcements must not overtake each other. */
  #queue: Promise<void> = Promise.resolve();
  readonly #writes = new Set<Promise<void>>();
  #unsubscribe: (() => void)[] = [];
  #closed = false;

  constructor(options: PresenceOptions) {
    this.#o = options;
  }

  /** Follow local changes and announcements, then load every node already in Redis. */
  async start(): Promise<void> {
    const { registry, bus } = this.#o;
    this.#unsubscribe.push(
      registry.onChange(({ type, session }) => {
        if (isRemoteConnection(session.connection)) return;
        this.#track(type === 'unregister' ? this.#forget(session) : this.#publish(session));
      }),
      bus.onAnnouncement((message) => void this.#enqueue(() => this.#apply(message))),
    );
    await this.resync();
  }

  /**
   * Re-assert this process's nodes and reload everyone else's (at start, and after Redis came back:
   * announcements sent meanwhile were lost, and a restarted Redis may have lost its keys).
   */
  async resync(): Promise<void> {
    const { registry, redis, keys, self } = this.#o;
    const local = registry.list().filter((s) => !isRemoteConnection(s.connection));
    await Promise.all(local.map((session) => this.#publish(session)));
    const all = await redis.hgetall(keys.nodes);
    const seen = new Set<string>();
    await this.#enqueue(async () => {
      for (const json of Object.values(all)) {
        const record = parseNodeRecord(json);
        if (!record || record.owner === self) continue;
        seen.add(record.node_id);
        await this.#register(record);
      }
      for (const session of registry.list()) {
        if (isRemoteConnection(session.connection) && !seen.has(session.nodeId)) {
          registry.unregister(session.nodeId, session.connection.id);
        }
      }
    });
  }

  /**
   * Remove the record of a node whose process died; true when it was still that process's and the
   * process is still dead (one that came back keeps its nodes).
   */
  async removeRecord(nodeId: string, connectionId: string, owner: string): Promise<boolean> {
    const { redis, keys } = this.#o;
    const removed = await redis.eval(REAP_NODE, 2, keys.nodes, keys.alive(owner), nodeId, connectionId);
    if (removed !== 1) return false;
    this.#o.bus.announce({ t: 'gone', node_id: nodeId, connection_id: connectionId });
    await this.#enqueue(() => this.#gone(nodeId, connectionId));
    return true;
  }

  /** Wait for the Redis writes of local changes. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  /** Stop following; the records of this process's nodes are removed by their disconnects. */
  close(): void {
    this.#closed = true;
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #track(write: Promise<void>): void {
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }

  async #publish(session: NodeSession): Promise<void> {
    const { redis, keys, self, bus, logger } = this.#o;
    const record = toNodeRecord(session, self);
    try {
      const tx = redis.multi();
      for (const plugin of session.plugins.values()) {
        tx.set(keys.manifest(plugin.hash), JSON.stringify(plugin.manifest), 'NX');
      }
      tx.hset(keys.nodes, record.node_id, JSON.stringify(record));
      tx.sadd(keys.processNodes(self), record.node_id);
      await tx.exec();
      bus.announce({ t: 'node', record });
    } catch (error) {
      // Redis is down: the resync after it comes back writes this node again.
      logger.warn({ err: error, node_id: record.node_id }, 'could not record a node in Redis');
    }
  }

  async #forget(session: NodeSession): Promise<void> {
    const { redis, keys, self, bus, logger } = this.#o;
    const connectionId = session.connection.id;
    try {
      await redis.srem(keys.processNodes(self), session.nodeId);
      const now = this.#o.registry.get(session.nodeId);
      if (now && isRemoteConnection(now.connection)) {
        // Replaced by a connection on another process: the record must name that one, whoever wrote last.
        const record = toNodeRecord(now, now.connection.owner);
        await redis.hset(keys.nodes, session.nodeId, JSON.stringify(record));
      } else {
        await redis.eval(DELETE_IF_CONNECTION, 1, keys.nodes, session.nodeId, connectionId);
      }
      bus.announce({ t: 'gone', node_id: session.nodeId, connection_id: connectionId });
    } catch (error) {
      logger.warn({ err: error, node_id: session.nodeId }, 'could not remove a node from Redis');
    }
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task).catch((error: unknown) => {
      this.#o.logger.warn({ err: error }, 'applying a cluster announcement failed');
    });
    this.#queue = next;
    return next;
  }

  async #apply(message: Announcement): Promise<void> {
    if (this.#closed) return;
    if (message.t === 'node') return this.#register(message.record);
    return this.#gone(message.node_id, message.connection_id);
  }

  async #register(record: NodeRecord): Promise<void> {
    const { registry, catalog, self, peer } = this.#o;
    if (record.owner === self) return;
    const current = registry.get(record.node_id);
    if (current && current.connection.id === record.connection_id && isRemoteConnection(current.connection)) {
      // An update (health, limits) of a node we already show.
      if (record.health) registry.setHealth(record.node_id, record.connection_id, record.health);
      return;
    }
    if (current && !isRemoteConnection(current.connection) && holdsNewer(current, record, self)) {
      // Two agents claim one node id on two processes: the newer connection wins everywhere, as on
      // one server. Ours is newer; our own announcement makes the other process retire its one.
      return;
    }
    const manifests = await this.#manifestsOf(record);
    const admitted = catalog.admit(manifests);
    const plugins = new Map<string, AdvertisedPlugin>(admitted.map((p) => [p.manifest.name, p]));
    const connection = createRemoteConnection(record.connection_id, record.owner, record.node_id, peer);
    const replaced = registry.register(fromNodeRecord(record, plugins, connection));
    if (replaced && !isRemoteConnection(replaced.connection)) this.#retire(replaced, record.owner);
  }

  /** Our own connection for a node that reconnected to another process: end it like a local replacement. */
  #retire(session: NodeSession, newOwner: string): void {
    const failed = this.#o.pending.failConnection(
      session.connection.id,
      () =>
        new OpenClawError(
          'NODE_DISCONNECTED',
          `Node "${session.nodeId}" connected to another server process before the job finished`,
        ),
    );
    session.connection.replace('Another agent connected with the same node id');
    this.#o.logger.warn(
      {
        node_id: session.nodeId,
        connection: session.connection.id,
        new_owner: newOwner,
        failed_jobs: failed,
      },
      'node replaced by a connection to another server process',
    );
  }

  async #gone(nodeId: string, connectionId: string): Promise<void> {
    const { registry, redis, keys, self } = this.#o;
    const current = registry.get(nodeId);
    if (current && !isRemoteConnection(current.connection)) {
      // Another process reaped us while we were only cut off from Redis: our record is gone, the
      // socket is not. Write it back.
      if (current.connection.id === connectionId) this.#track(this.#publish(current));
      return;
    }
    if (!registry.unregister(nodeId, connectionId)) return;
    // Announcements from two processes may cross: whatever Redis holds now is the truth — another
    // connection, or this very one written back by a process that came back after being taken for dead.
    const json = await redis.hget(keys.nodes, nodeId);
    const record = json ? parseNodeRecord(json) : undefined;
    if (record && record.owner !== self) await this.#register(record);
  }

  async #manifestsOf(record: NodeRecord): Promise<PluginManifest[]> {
    const hashes = Object.values(record.plugins);
    const missing = [...new Set(hashes.filter((h) => !this.#manifests.has(h)))];
    if (missing.length > 0) {
      const values = await this.#o.redis.mget(missing.map((h) => this.#o.keys.manifest(h)));
      missing.forEach((hash, i) => {
        const json = values[i];
        if (json) this.#manifests.set(hash, JSON.parse(json) as PluginManifest);
      });
    }
    const manifests: PluginManifest[] = [];
    for (const hash of hashes) {
      const manifest = this.#manifests.get(hash);
      if (manifest) manifests.push(manifest);
      else
        this.#o.logger.warn(
          { node_id: record.node_id, hash },
          'a manifest of a remote node is missing in Redis',
        );
    }
    return manifests;
  }
}

/** True when our session began after the remote one (ties broken by process id, so both sides agree). */
function holdsNewer(local: NodeSession, remote: NodeRecord, self: string): boolean {
  const ours = local.connectedAt.getTime();
  return ours > remote.connected_at || (ours === remote.connected_at && self > remote.owner);
}
