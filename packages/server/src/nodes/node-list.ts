import type { NodeSummary } from '@openclaw-node/core';
import { uptimeSeconds } from './health/health-views.js';
import type { NodeRegistry, NodeSession } from './node-registry.js';
import { toNodeSummary } from './node-views.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';

interface Fragment {
  /** The health the fragment was written from: a new report means the summary changed. */
  health: NodeSession['health'];
  /** The summary's JSON without its moving fields and closing brace, ending in `"last_seen_at":"`. */
  bytes: Buffer;
  /** last_seen_at as last written, so traffic since costs one toISOString, not a new fragment. */
  seenAt?: Date;
  seen?: string;
}

const MOVING: readonly (keyof NodeSummary)[] = ['last_seen_at', 'pending_commands', 'uptime_s'];
/** How long the whole list is served as it is when no node came, left or changed health. */
const WHOLE_LIST_MS = 1000;
/** Room for `<iso>","pending_commands":<n>,"uptime_s":<seconds>}` and the comma after it. */
const TAIL_BYTES = 112;
const PENDING = Buffer.from('","pending_commands":');
const UPTIME = Buffer.from(',"uptime_s":');
const COMMA = 0x2c;
const CLOSE = 0x7d;

/**
 * The body of `GET /api/nodes`, fast at 10,000 nodes. Each node's summary (toNodeSummary's) is
 * serialised once per session and health report; a render copies those bytes and writes only the
 * fields that move with traffic, the job table and the clock. The whole list of every node is then
 * served for up to a second, until a node comes, goes or reports health or the number of jobs in
 * flight changes: last_seen_at and uptime_s may be a second old.
 */
export class NodeListBody {
  readonly #fragments = new WeakMap<NodeSession, Fragment>();
  #changes = 0;
  #whole: { changes: number; jobs: number; until: number; body: Buffer } | undefined;

  constructor(registry: NodeRegistry) {
    registry.onChange(() => (this.#changes += 1));
  }

  /** Every node's list (for callers who may see every node), rendered at most once a second. */
  all(registry: NodeRegistry, jobs: PendingJobs, now: Date = new Date()): Buffer {
    const whole = this.#whole;
    if (whole && whole.changes === this.#changes && whole.jobs === jobs.size && now.getTime() < whole.until) {
      return whole.body;
    }
    const body = this.render(registry.list(), jobs, now);
    this.#whole = { changes: this.#changes, jobs: jobs.size, until: now.getTime() + WHOLE_LIST_MS, body };
    return body;
  }

  /** `{ nodes, count }` as JSON bytes, in the order of `sessions`. */
  render(sessions: readonly NodeSession[], jobs: PendingJobs, now: Date = new Date()): Buffer {
    const fragments = sessions.map((session) => this.#fragment(session, jobs));
    let size = 64;
    for (const f of fragments) size += f.bytes.length + TAIL_BYTES;
    const out = Buffer.allocUnsafe(size);
    let at = out.write('{"nodes":[', 0, 'latin1');
    // Byte by byte: at 10,000 nodes a native call per field (Buffer#write, #copy) is where the time goes.
    for (let i = 0; i < sessions.length; i++) {
      const session = sessions[i]!;
      const fragment = fragments[i]!;
      if (i > 0) out[at++] = COMMA;
      out.set(fragment.bytes, at);
      at += fragment.bytes.length;
      if (fragment.seenAt !== session.lastSeenAt) {
        fragment.seenAt = session.lastSeenAt;
        fragment.seen = session.lastSeenAt.toISOString();
      }
      at = writeAscii(out, at, fragment.seen!);
      out.set(PENDING, at);
      at = writeAscii(
        out,
        at + PENDING.length,
        String(jobs.size > 0 ? jobs.forNode(session.nodeId).length : 0),
      );
      const uptime = uptimeSeconds(session, now);
      if (uptime !== undefined) {
        out.set(UPTIME, at);
        at = writeAscii(out, at + UPTIME.length, String(uptime));
      }
      out[at++] = CLOSE;
    }
    at += out.write(`],"count":${sessions.length}}`, at, 'latin1');
    return out.subarray(0, at);
  }

  #fragment(session: NodeSession, jobs: PendingJobs): Fragment {
    const known = this.#fragments.get(session);
    if (known && known.health === session.health) return known;
    const summary: Partial<NodeSummary> = toNodeSummary(session, jobs);
    for (const key of MOVING) delete summary[key];
    const fragment: Fragment = {
      health: session.health,
      bytes: Buffer.from(`${JSON.stringify(summary).slice(0, -1)},"last_seen_at":"`),
    };
    this.#fragments.set(session, fragment);
    return fragment;
  }
}

/** Write an ASCII string (digits, an ISO date) at `at`; returns the offset after it. */
function writeAscii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}
