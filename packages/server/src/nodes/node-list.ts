import type { NodeSummary } from '@openclaw-node/core';
import { uptimeBetween } from './health/health-views.js';
import type { NodeRegistry, NodeSession } from './node-registry.js';
import { toNodeSummary } from './node-views.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';

interface Fragment {
  /** The health the fragment was written from: a new report means the summary changed. */
  health: NodeSession['health'];
  /** The summary's JSON without its moving fields and closing brace, ending in `"last_seen_at":"`. */
  bytes: Buffer;
}

/**
 * A list laid out for rendering: each node's head (its fragment and last_seen_at, up to the number
 * of its jobs), remade only when last_seen_at moves, and its start time. A render is then one native
 * copy (TypedArray#set) and a few digits per node, allocating nothing else: it runs a few times a
 * minute, too seldom for V8 to optimise it, in a heap of 10,000 sockets.
 */
interface Layout {
  sessions: readonly NodeSession[];
  fragments: Buffer[];
  /** The last_seen_at each node's head was written with (the same Date: unchanged). */
  seenAt: (Date | undefined)[];
  /** fragment + `<last_seen_at>","pending_commands":`. */
  heads: Buffer[];
  /** The agent's start time in ms, NaN when it did not say (no uptime_s). */
  startedMs: Float64Array;
}

const MOVING: readonly (keyof NodeSummary)[] = ['last_seen_at', 'pending_commands', 'uptime_s'];
/** How long the whole list is served as it is when no node came, left or changed health. */
const WHOLE_LIST_MS = 1000;
/** Room for `<iso>","pending_commands":<n>,"uptime_s":<seconds>}` and the comma after it (ISO dates
 * are 24 characters, 27 beyond the year 9999). */
const TAIL_BYTES = 112;
const PENDING = Buffer.from('","pending_commands":');
const UPTIME = Buffer.from(',"uptime_s":');
/** What follows the head of a node with no job in flight and a start time: most of them. */
const IDLE_UPTIME = Buffer.from('0,"uptime_s":');
const COMMA = 0x2c;
const CLOSE = 0x7d;

/**
 * The body of `GET /api/nodes`, fast at 10,000 nodes. Each node's summary (toNodeSummary's) is
 * serialised once per session and health report and kept in a layout of the whole list (rebuilt
 * when a node comes, goes or reports health); a render copies those bytes and writes only the fields
 * that move with traffic, the job table and the clock. The whole list of every node is then served
 * for up to a second, until a node comes, goes or reports health, a job starts or ends, or the clock
 * steps back: last_seen_at and uptime_s may be a second old.
 */
export class NodeListBody {
  readonly #fragments = new WeakMap<NodeSession, Fragment>();
  #changes = 0;
  #layout: { changes: number; layout: Layout } | undefined;
  #whole: { changes: number; jobChanges: number; at: number; body: Buffer } | undefined;

  constructor(registry: NodeRegistry) {
    registry.onChange(() => (this.#changes += 1));
  }

  /** Every node's list (for callers who may see every node), rendered at most once a second. */
  all(registry: NodeRegistry, jobs: PendingJobs, now: Date = new Date()): Buffer {
    const whole = this.#whole;
    const age = whole ? now.getTime() - whole.at : Number.NaN;
    // A clock stepped back (age < 0) ends the second as well as one that ran out.
    if (
      whole?.changes === this.#changes &&
      whole.jobChanges === jobs.changes &&
      age >= 0 &&
      age < WHOLE_LIST_MS
    ) {
      return whole.body;
    }
    if (this.#layout?.changes !== this.#changes) {
      this.#layout = { changes: this.#changes, layout: this.#lay(registry.list()) };
    }
    const body = this.#fill(this.#layout.layout, jobs, now);
    this.#whole = { changes: this.#changes, jobChanges: jobs.changes, at: now.getTime(), body };
    return body;
  }

  /** `{ nodes, count }` as JSON bytes, in the order of `sessions`. */
  render(sessions: readonly NodeSession[], jobs: PendingJobs, now: Date = new Date()): Buffer {
    return this.#fill(this.#lay(sessions), jobs, now);
  }

  #lay(sessions: readonly NodeSession[]): Layout {
    return {
      sessions,
      fragments: sessions.map((session) => this.#fragment(session)),
      seenAt: new Array<Date | undefined>(sessions.length),
      heads: new Array<Buffer>(sessions.length),
      startedMs: Float64Array.from(sessions, (s) => s.startedAt?.getTime() ?? Number.NaN),
    };
  }

  #fill(layout: Layout, jobs: PendingJobs, now: Date): Buffer {
    const { sessions, fragments, seenAt, heads, startedMs } = layout;
    const pending = jobs.size > 0 ? jobs.countByNode() : undefined;
    let size = 64;
    for (const fragment of fragments) size += fragment.length + TAIL_BYTES;
    const out = Buffer.allocUnsafe(size);
    const nowMs = now.getTime();
    let at = out.write('{"nodes":[', 0, 'latin1');
    for (let i = 0; i < sessions.length; i++) {
      const session = sessions[i]!;
      if (i > 0) out[at++] = COMMA;
      if (seenAt[i] !== session.lastSeenAt) {
        seenAt[i] = session.lastSeenAt;
        const seen = Buffer.from(session.lastSeenAt.toISOString(), 'latin1');
        heads[i] = Buffer.concat([fragments[i]!, seen, PENDING]);
      }
      const head = heads[i]!;
      out.set(head, at);
      at += head.length;
      const count = pending?.get(session.nodeId) ?? 0;
      const started = startedMs[i]!;
      if (count === 0 && !Number.isNaN(started)) {
        out.set(IDLE_UPTIME, at);
        at = writeCount(out, at + IDLE_UPTIME.length, uptimeBetween(started, nowMs));
      } else {
        at = writeCount(out, at, count);
        if (!Number.isNaN(started)) {
          out.set(UPTIME, at);
          at = writeCount(out, at + UPTIME.length, uptimeBetween(started, nowMs));
        }
      }
      out[at++] = CLOSE;
    }
    at += out.write(`],"count":${sessions.length}}`, at, 'latin1');
    return out.subarray(0, at);
  }

  #fragment(session: NodeSession): Buffer {
    const known = this.#fragments.get(session);
    if (known && known.health === session.health) return known.bytes;
    // pending_commands is written per render (MOVING): not counted here.
    const summary: Partial<NodeSummary> = toNodeSummary(session, 0);
    for (const key of MOVING) delete summary[key];
    const fragment: Fragment = {
      health: session.health,
      bytes: Buffer.from(`${JSON.stringify(summary).slice(0, -1)},"last_seen_at":"`),
    };
    this.#fragments.set(session, fragment);
    return fragment.bytes;
  }
}

/** Write a whole number >= 0 in decimal at `at` (no string made); returns the offset after it. */
function writeCount(out: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  for (let k = at + digits - 1; k >= at; k--) {
    out[k] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}
