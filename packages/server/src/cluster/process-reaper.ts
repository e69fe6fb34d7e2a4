import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobStore } from '../jobs/index.js';
import type { ClusterKeys } from './cluster-keys.js';
import { parseNodeRecord } from './node-record.js';
import type { Presence } from './presence.js';

export interface ProcessReaperOptions {
  self: string;
  redis: Redis;
  keys: ClusterKeys;
  presence: Presence;
  store: JobStore;
  logger: Logger;
  processTtlMs: number;
}

/**
 * Finds processes whose heartbeat key expired and cleans up after them, once (a lock picks one
 * reaper): their nodes leave the registry everywhere, their jobs in flight end `lost`.
 */
export class ProcessReaper {
  readonly #o: ProcessReaperOptions;

  constructor(options: ProcessReaperOptions) {
    this.#o = options;
  }

  /** Check every other process once; resolves with the ids reaped by this process. */
  async sweep(): Promise<string[]> {
    const { redis, keys, self } = this.#o;
    const others = (await redis.smembers(keys.processes)).filter((id) => id !== self);
    if (others.length === 0) return [];
    const alive = await Promise.all(others.map((id) => redis.exists(keys.alive(id))));
    const reaped: string[] = [];
    for (const [i, id] of others.entries()) {
      if (alive[i] === 1) continue;
      const lock = await redis.set(keys.reaping(id), self, 'PX', this.#o.processTtlMs * 3, 'NX');
      if (lock !== 'OK') continue;
      await this.reap(id);
      reaped.push(id);
    }
    return reaped;
  }

  /** Remove a dead process's nodes and end its jobs in flight as `lost`. */
  async reap(dead: string): Promise<void> {
    const { redis, keys, presence, store, logger } = this.#o;
    let nodes = 0;
    for (const nodeId of await redis.smembers(keys.processNodes(dead))) {
      const json = await redis.hget(keys.nodes, nodeId);
      const record = json ? parseNodeRecord(json) : undefined;
      if (record?.owner === dead && (await presence.removeRecord(nodeId, record.connection_id, dead))) {
        nodes += 1;
      }
    }
    const lost: string[] = [];
    for (const commandId of await redis.smembers(keys.processJobs(dead))) {
      if ((await redis.exists(keys.alive(dead))) === 1) {
        // It was only cut off from Redis, and is back: its jobs are its own again.
        logger.warn(
          { process_id: dead, jobs_lost: lost.length },
          'a server process taken for dead came back',
        );
        return;
      }
      try {
        // Offered to the node but never accepted: it did not run, so it waits for the node's next connection.
        if ((await store.get(commandId))?.state === 'queued') continue;
        await store.transition(commandId, 'lost', {
          error: new OpenClawError(
            'JOB_LOST',
            `Server process ${dead}, which held the node's connection, stopped while the job ran`,
          ),
        });
        lost.push(commandId);
      } catch (error) {
        // Ended meanwhile, or purged: nothing to do.
        if (!isOpenClawError(error)) throw error;
      } finally {
        await redis.del(keys.runner(commandId));
      }
    }
    await redis
      .multi()
      .del(keys.processNodes(dead), keys.processJobs(dead))
      .srem(keys.processes, dead)
      .exec();
    logger.warn(
      { process_id: dead, nodes_removed: nodes, jobs_lost: lost.length, command_ids: lost.slice(0, 20) },
      'a server process of the cluster stopped answering; its nodes and jobs were cleaned up',
    );
  }
}
