/**
 * The Redis key layout of the job store, all under one prefix (default `openclaw:`):
 *
 * | key | type | holds |
 * |---|---|---|
 * | `job:<id>` | hash | one job: the JobRow fields (null ones absent) plus `_m` (its index member), `_j` (the id as JSON), `_w` (the last write id), `_i` (its idempotency index), and in scale-out `_r` (the process that runs or ran it: given to the create (NewJob.runner) when the process storing the job sends it, else written by the cluster layer) |
 * | `job:<id>:log` | list | the log tail, oldest first |
 * | `job:<id>:events` | list | the last maxEventsPerJob events as JSON (seqs are consecutive) |
 * | `jobs` | zset | every job |
 * | `jobs:node:<node_id>`, `jobs:state:<state>`, `jobs:action:<action>`, `jobs:batch:<batch_id>`, `jobs:by:<requested_by>` | zset | the jobs matching one list filter |
 * | `jobs:waiting:<node_id>` | zset | offline-queued jobs of a node (queued with expires_at) |
 * | `jobs:ended` | zset | terminal jobs (retention by count) |
 * | `jobs:finished` | zset | terminal jobs scored by finished_at (retention by age) |
 * | `jobs:expiry` | zset | offline-queued jobs scored by expires_at |
 * | `idem:<json [requester, key]>` | zset | jobs with that Idempotency-Key: each job outside a batch, and the newest job of each batch |
 * | `idem:<json [requester, key]>:batches` | hash | batch_id → its member in the zset above |
 * | `events:log` | stream | recent events of every job (catch-up after a subscriber reconnects) |
 * | `events` | pub/sub channel | each event as `<stream id>\n<write id>\n<event JSON>`; a terminal event is followed by `\n<JSON [hash, log tail]>`, the job as that write left it (when at most 64 KiB) |
 *
 * The zsets other than `jobs:finished`/`jobs:expiry` hold members `<created_ms, 16 digits>:<command_id>`,
 * all with score 0: Redis orders equal scores by the bytes of the member, which is exactly the
 * newest-first order of the other stores (created_at, then command_id by code point) and lets a
 * cursor be an exclusive lexical bound.
 */

/** Width of the created_ms part of an index member: every safe integer fits. */
const TIME_DIGITS = 16;

/** Where `command_id` starts in an index member (1-based, as Lua's string.sub counts). */
export const MEMBER_ID_OFFSET = TIME_DIGITS + 2;

/** The index member of a job: ordered by created_ms, then command_id. */
export function indexMember(createdMs: number, commandId: string): string {
  return `${String(createdMs).padStart(TIME_DIGITS, '0')}:${commandId}`;
}

/** The lowest member of a job created at or after `ms` (for an inclusive lexical bound). */
export function timeBound(ms: number): string {
  return String(Math.max(0, ms)).padStart(TIME_DIGITS, '0');
}

/** The idempotency index of one requester and key. */
export function idempotencyIndex(prefix: string, requester: string | null, key: string): string {
  return `${prefix}idem:${JSON.stringify([requester, key])}`;
}

/** The hash of one job (what the scripts call J(id)). */
export function jobKey(prefix: string, commandId: string): string {
  return `${prefix}job:${commandId}`;
}

/** Scale-out: the field of a job's hash naming the process that runs it (written by the cluster layer). */
export const RUNNER_FIELD = '_r';

/** The index of the jobs in one state (the cluster's reaper reads `running` to find a dead process's jobs). */
export function stateIndexKey(prefix: string, state: string): string {
  return `${prefix}jobs:state:${state}`;
}

/** The pub/sub channel every store instance sharing the prefix listens on. */
export function eventChannel(prefix: string): string {
  return `${prefix}events`;
}

/** The stream of recent events, read to catch up after a reconnect. */
export function eventStream(prefix: string): string {
  return `${prefix}events:log`;
}
