import type { NodeSummary } from './rest.js';
import type { JobStateName } from './rest.js';

/**
 * `GET /api/me`: who the presented token is and what it may do, so a UI offers only what the server
 * would allow (the server still checks every request).
 */
export interface MeResponse {
  /** The token's name or the JWT's subject; never the secret. */
  name: string;
  roles: ('agent' | 'operator' | 'viewer' | 'admin')[];
  via: 'token' | 'jwt' | null;
  /** When the credential stops being valid (a JWT's `exp`), else null. */
  expires_at: string | null;
  /** Node-id globs it is limited to; null means every node. */
  nodes: string[] | null;
  /** Action-id globs it may run; null means every action. */
  actions: string[] | null;
  /** True when it holds the operator or admin role (it may run actions within `nodes` and `actions`). */
  can_exec: boolean;
  /** With `?node=<id>` of a connected node: the actions that node advertises which this token may run there. */
  node_actions?: { node_id: string; actions: string[] };
}

/**
 * One message of `GET /api/events` (Server-Sent Events, `event:` is `ready`, `node` or `job`): the
 * fleet and the jobs as they change, limited to the nodes the token may see. `ready` comes first, once
 * the stream listens: what is read after it (`GET /api/nodes`) misses nothing that follows.
 */
export type LiveEventView =
  | { type: 'ready' }
  | { type: 'node'; op: 'up' | 'health'; node: NodeSummary }
  | { type: 'node'; op: 'down'; node_id: string }
  | { type: 'job'; job_id: string; node_id: string; action: string; state: JobStateName };
