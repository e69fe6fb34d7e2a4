import type { NodeSummary } from '@openclaw-node/core';
import { uptimeSeconds } from './health/health-views.js';
import type { NodeSession } from './node-registry.js';
import { toNodeSummary } from './node-views.js';
import type { PendingJobs } from './pending-jobs.js';

interface Fragment {
  /** What the fragment was written from: a new value of either means the node's summary changed. */
  lastSeenAt: Date;
  health: NodeSession['health'];
  /** The summary's JSON without uptime_s and its closing brace, ending in `"pending_commands":`. */
  bytes: Buffer;
}

const PER_REQUEST: readonly (keyof NodeSummary)[] = ['pending_commands', 'uptime_s'];
/** Room for `<pending>,"uptime_s":<seconds>}` and the comma after it. */
const TAIL_BYTES = 48;

/**
 * The body of `GET /api/nodes`, fast at 10,000 nodes: each node's summary (toNodeSummary's) is
 * serialised once, and again only after it changed (new traffic, a health report, a reconnect); a
 * request copies those bytes and writes only the two fields that move with the job table and the clock.
 */
export class NodeListBody {
  readonly #fragments = new WeakMap<NodeSession, Fragment>();

  /** `{ nodes, count }` as JSON bytes, in the order of `sessions`. */
  render(sessions: readonly NodeSession[], jobs: PendingJobs, now: Date = new Date()): Buffer {
    const fragments = sessions.map((session) => this.#fragment(session, jobs));
    let size = 64;
    for (const f of fragments) size += f.bytes.length + TAIL_BYTES;
    const out = Buffer.allocUnsafe(size);
    let at = out.write('{"nodes":[', 0, 'latin1');
    sessions.forEach((session, i) => {
      if (i > 0) at = out.writeUInt8(0x2c, at); // ,
      at += fragments[i]!.bytes.copy(out, at);
      const pending = jobs.size > 0 ? jobs.forNode(session.nodeId).length : 0;
      const uptime = uptimeSeconds(session, now);
      at += out.write(
        uptime === undefined ? `${pending}}` : `${pending},"uptime_s":${uptime}}`,
        at,
        'latin1',
      );
    });
    at += out.write(`],"count":${sessions.length}}`, at, 'latin1');
    return out.subarray(0, at);
  }

  #fragment(session: NodeSession, jobs: PendingJobs): Fragment {
    const known = this.#fragments.get(session);
    if (known && known.lastSeenAt === session.lastSeenAt && known.health === session.health) return known;
    const summary: Partial<NodeSummary> = toNodeSummary(session, jobs);
    for (const key of PER_REQUEST) delete summary[key];
    const fragment: Fragment = {
      lastSeenAt: session.lastSeenAt,
      health: session.health,
      bytes: Buffer.from(`${JSON.stringify(summary).slice(0, -1)},"pending_commands":`),
    };
    this.#fragments.set(session, fragment);
    return fragment;
  }
}
