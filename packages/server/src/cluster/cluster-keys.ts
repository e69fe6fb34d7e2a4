import { indexKey, indexPrefix, jobKey } from '../jobs/store/redis/redis-keys.js';

/** Every Redis key and channel the cluster layer uses, under one prefix (the job store has its own keys). */
export interface ClusterKeys {
  /** Hash: node id → NodeRecord JSON of every connected node in the cluster. */
  nodes: string;
  /** String: a manifest's JSON by its hash (shared by every node advertising it). */
  manifest(hash: string): string;
  /** Set of the ids of processes that joined. */
  processes: string;
  /** String with a TTL: present while the process is alive. */
  alive(processId: string): string;
  /** Set of the node ids whose connection a process holds. */
  processNodes(processId: string): string;
  /**
   * Hash: a job in the Redis job store. Its field RUNNER_FIELD (`_r`) names the process that runs it,
   * written once when another process hands it over, so a job is never started twice.
   */
  job(commandId: string): string;
  /** Sorted set: the store's indexes (the reaper finds a dead process's jobs among the `running` ones). */
  index: string;
  /** The prefix of the `running` jobs' members in `index`. */
  runningPrefix: string;
  /**
   * Set: the jobs a process ran, as servers kept them before the runner became the job's `_r` field.
   * Read (and deleted) only when such a process is reaped: jobs that ran across an upgrade end `lost`.
   */
  legacyProcessJobs(processId: string): string;
  /** String: held by the one process that reaps a dead process. */
  reaping(processId: string): string;
  /** String: which process keeps the real params of a queued job (secrets never go to Redis). */
  paramsHolder(commandId: string): string;
  /** Pub/sub channel: the calls to one process and the replies to its calls (cluster-bus.ts). */
  inbox(processId: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  const p = `${prefix}cluster:`;
  return {
    job: (id) => jobKey(prefix, id),
    nodes: `${p}nodes`,
    manifest: (hash) => `${p}manifest:${hash}`,
    processes: `${p}processes`,
    alive: (id) => `${p}process:${id}:alive`,
    processNodes: (id) => `${p}process:${id}:nodes`,
    index: indexKey(prefix),
    runningPrefix: indexPrefix('s', 'running'),
    legacyProcessJobs: (id) => `${p}process:${id}:jobs`,
    reaping: (id) => `${p}process:${id}:reaping`,
    paramsHolder: (id) => `${p}job:${id}:params-holder`,
    inbox: (id) => `${p}process:${id}:inbox`,
  };
}
