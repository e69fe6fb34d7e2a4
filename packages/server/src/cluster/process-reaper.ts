import { OpenClawError, isOpenClawError } from '@openclaw-node/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobStore } from '../jobs/index.js';
import { MEMBER_ID_OFFSET, REQUESTER_FIELD, RUNNER_FIELD } from '../jobs/store/redis/redis-keys.js';
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
  /**
   * Take a job nobody claimed away from its late owner (true when done): the one write that decides
   * between the reaper ending it and the owner running it (ClusterJobs.abandon).
   */
  abandon: (commandId: string) => Promise<boolean>;
}

/** Running jobs one scan call reads at most. */
const SCAN_PAGE = 500;

/**
 * One page of the `running` jobs (members of the index set KEYS[1] behind prefix ARGV[5], newest
 * first, after member ARGV[3] or from the top): { how many were read, the last member read (without
 * the prefix), the ids of those whose runner is ARGV[2] — or, with ARGV[6] = 'requested', of those
 * that ARGV[2] stored for another process and nobody took yet (no runner) }. ARGV[1] is the prefix
 * of the job hashes.
 */
const JOBS_OF = `
local p = ARGV[5]
local hi = ARGV[3] == '' and '(' .. p .. '\\255' or '(' .. p .. ARGV[3]
local members = redis.call('ZRANGE', KEYS[1], hi, '(' .. p, 'BYLEX', 'REV', 'LIMIT', 0, tonumber(ARGV[4]))
local last = ''
local out = { #members, '' }
for _, x in ipairs(members) do
  last = string.sub(x, #p + 1)
  local id = string.sub(last, ${MEMBER_ID_OFFSET})
  local v = redis.call('HMGET', ARGV[1] .. id, '${RUNNER_FIELD}', '${REQUESTER_FIELD}')
  if ARGV[6] == 'requested' then
    if not v[1] and v[2] == ARGV[2] then out[#out + 1] = id end
  elseif v[1] == ARGV[2] then
    out[#out + 1] = id
  end
end
out[2] = last
return out`;

type JobsOfScript = (
  running: string,
  jobPrefix: string,
  processId: string,
  after: string,
  page: number,
  runningPrefix: string,
  which: 'run' | 'requested',
) => Promise<[number, string, ...string[]]>;

/**
 * Finds processes whose heartbeat key expired and cleans up after them, once (a lock picks one
 * reaper): their nodes leave the registry everywhere, their jobs in flight end `lost`.
 */
export class ProcessReaper {
  readonly #o: ProcessReaperOptions;
  readonly #jobsOf: JobsOfScript;

  constructor(options: ProcessReaperOptions) {
    this.#o = options;
    const { redis } = options;
    if (!('ocJobsOf' in redis)) redis.defineCommand('ocJobsOf', { numberOfKeys: 1, lua: JOBS_OF });
    this.#jobsOf = (redis as unknown as { ocJobsOf: JobsOfScript }).ocJobsOf.bind(redis);
  }

  /**
   * The ids of the running jobs whose runner is `processId`, or (`requested`) that it stored for
   * another process and nobody took yet: a scan of the running jobs, page by page.
   */
  async jobsOf(processId: string, which: 'run' | 'requested' = 'run'): Promise<string[]> {
    const { keys } = this.#o;
    const ids: string[] = [];
    for (let after = ''; ;) {
      const [read, last, ...found] = await this.#jobsOf(
        keys.index,
        keys.job(''),
        processId,
        after,
        SCAN_PAGE,
        keys.runningPrefix,
        which,
      );
      ids.push(...found);
      if (read < SCAN_PAGE) return ids;
      after = last;
    }
  }

  /**
   * The jobs a process of the version before `_r` listed in its own set, that it still ran: the set
   * also held offline-queued jobs offered to a node that never accepted them (they stay queued, to be
   * sent on its next connection), and jobs another process has taken over since (their `_r`).
   */
  async #legacyJobsOf(dead: string): Promise<string[]> {
    const { redis, keys } = this.#o;
    const ids = await redis.smembers(keys.legacyProcessJobs(dead));
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(keys.job(id), 'state', '_r');
    const replies = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => {
      const [error, fields] = replies[i] ?? [];
      if (error) return false;
      const [state, runner] = fields as (string | null)[];
      return state === 'running' && (runner === null || runner === dead);
    });
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
    const legacy = await this.#legacyJobsOf(dead);
    const running = new Set([...(await this.jobsOf(dead)), ...legacy]);
    for (const commandId of running) {
      if ((await redis.exists(keys.alive(dead))) === 1) {
        // It was only cut off from Redis, and is back: its jobs are its own again.
        logger.warn(
          { process_id: dead, jobs_lost: lost.length },
          'a server process taken for dead came back',
        );
        return;
      }
      try {
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
      }
    }
    const untaken = await this.#endUntaken(dead);
    await redis
      .multi()
      .del(keys.processNodes(dead), keys.legacyProcessJobs(dead))
      .srem(keys.processes, dead)
      .exec();
    logger.warn(
      {
        process_id: dead,
        nodes_removed: nodes,
        jobs_lost: lost.length,
        command_ids: lost.slice(0, 20),
        jobs_never_taken: untaken,
      },
      'a server process of the cluster stopped answering; its nodes and jobs were cleaned up',
    );
  }

  /**
   * The jobs a dead process stored for another one that nobody took: their start may have been lost
   * with it (its deadline was in its memory). Each ends `failed`, unless its owner claims it first.
   */
  async #endUntaken(dead: string): Promise<number> {
    const { store, abandon } = this.#o;
    let ended = 0;
    for (const commandId of await this.jobsOf(dead, 'requested')) {
      try {
        if (!(await abandon(commandId))) continue;
        await store.transition(commandId, 'failed', {
          error: new OpenClawError(
            'CLUSTER_UNAVAILABLE',
            `Server process ${dead}, which took the request, stopped before the job was started`,
            { details: { process_id: dead } },
          ),
        });
        ended += 1;
      } catch (error) {
        // Ended meanwhile, or purged: nothing to do.
        if (!isOpenClawError(error)) throw error;
      }
    }
    return ended;
  }
}
