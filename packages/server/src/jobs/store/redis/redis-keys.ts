/**
 * The Redis key layout of the job store, all under one prefix (default `openclaw:`):
 *
 * | key | type | holds |
 * |---|---|---|
 * | `job:<id>` | hash | one job: the JobRow fields (null ones absent) plus `_m` (its index member), `_j` (the id as JSON), `_w` (the last write id), `_i` (its idempotency index), and in scale-out `_r` (the process that runs or ran it: given to the create (NewJob.runner) when the process storing the job sends it, else written by the cluster layer) and `_q` (the process that stored it for another one to run, NewJob.requester) |
 * | `job:<id>:log` | list | the log tail, oldest first |
 * | `job:<id>:events` | list | the last maxEventsPerJob events as JSON (seqs are consecutive); none while the job's state events are implied: a job created `running` keeps its first event in its hash (`_e1`), and its end's (`_e2`) when nothing came between them, until another event moves them here (`_e1`/`_e2` then '') |
 * | `jobs:index` | zset | every list index of every job, as prefixed members (below) |
 * | `idem:<json [requester, key]>` | zset | jobs with that Idempotency-Key: each job outside a batch, and the newest job of each batch |
 * | `idem:<json [requester, key]>:batches` | hash | batch_id → its member in the zset above |
 * | `events:log` | stream | recent events of every job (catch-up after a subscriber reconnects) |
 * | `events` | pub/sub channel | each event as `<stream id>\n<write id>\n<event JSON>`; a terminal event is followed by `\n<JSON [hash, log tail]>`, the job as that write left it (when at most 64 KiB) |
 *
 * A job's member is `<created_ms, 16 digits>:<command_id>`; every index lives in `jobs:index` (all
 * scores 0) as that member behind the index's prefix, so a write adds or removes all of a job's
 * entries with one ZADD or ZREM: `*:` every job, `n<len>:<node_id>:`, `s<len>:<state>:`,
 * `a<len>:<action>:`, `b<len>:<batch_id>:`, `r<len>:<requested_by>:` the list filters,
 * `w<len>:<node_id>:` a node's offline-queued jobs with an expiry, `e:` the terminal jobs (retention
 * by count). `f:` (terminal jobs, retention by age) and `x:` (queued jobs with an expiry) are followed
 * by that time (16 digits), `:` and the id instead; `i:` is followed by the id alone (every job by its
 * id: the check of the create of a minted id). `<len>` is the value's length in bytes, so no
 * prefix starts another. Redis orders members of equal score by their bytes: behind one prefix that
 * is exactly the newest-first order of the other stores (created_at, then command_id by code point),
 * and a cursor is an exclusive lexical bound. (Earlier builds kept each index in a zset of its own,
 * `jobs`, `jobs:node:<node_id>`, …: opening the store moves such indexes into `jobs:index`.)
 */

/** Width of the created_ms part of an index member: every safe integer fits. */
export const TIME_DIGITS = 16;

/** Where `command_id` starts in an index member (1-based, as Lua's string.sub counts). */
export const MEMBER_ID_OFFSET = TIME_DIGITS + 2;

/** The index member of a job: ordered by created_ms, then command_id. */
export function indexMember(createdMs: number, commandId: string): string {
  return `${String(createdMs).padStart(TIME_DIGITS, '0')}:${commandId}`;
}

/** The prefixes of the indexes without a value (the others are `<tag><len>:<value>:`). */
export const INDEX_PREFIX = { all: '*:', ended: 'e:', finished: 'f:', expiry: 'x:', id: 'i:' } as const;

/** The sorted set holding every list index. */
export function indexKey(prefix: string): string {
  return `${prefix}jobs:index`;
}

/** The prefix of one index with a value in the index set (what the scripts call pre(tag, value)). */
export function indexPrefix(tag: 'n' | 's' | 'a' | 'b' | 'r' | 'w', value: string): string {
  return `${tag}${Buffer.byteLength(value)}:${value}:`;
}

/** The lowest member of a job created at or after `ms` (for an inclusive lexical bound). */
export function timeBound(ms: number): string {
  return String(Math.max(0, Math.ceil(ms))).padStart(TIME_DIGITS, '0');
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

/** Scale-out: the field of a job's hash naming the process that stored it for another one (NewJob.requester). */
export const REQUESTER_FIELD = '_q';

/** The pub/sub channel every store instance sharing the prefix listens on. */
export function eventChannel(prefix: string): string {
  return `${prefix}events`;
}

/** The stream of recent events, read to catch up after a reconnect. */
export function eventStream(prefix: string): string {
  return `${prefix}events:log`;
}
