import { OpenClawError } from '@openclaw-node/core';
import { principalKey, type Principal } from '../security/auth/auth-provider.js';
import { matchesAny } from '../security/auth/globs.js';
import type { NodeSession } from '../nodes/node-session.js';

/**
 * Refuse a connection for a node id that an agent with another credential holds: NODE_ID_IN_USE
 * (409). The same credential may replace its own connection (a restarted or re-imaged machine with
 * its token), and a token with `takeover: true` may replace any. A session without a recorded
 * credential (another server version in scale-out mode) is replaced as before.
 */
export function assertMayHoldNode(
  current: NodeSession | undefined,
  connectionId: string,
  principal: Principal,
): void {
  if (!current || current.connection.id === connectionId || current.principalKey === undefined) return;
  if (current.principalKey === principalKey(principal) || principal.takeover === true) return;
  throw new OpenClawError(
    'NODE_ID_IN_USE',
    `Node id "${current.nodeId}" is held by a connected agent that uses another token; this connection is refused so it cannot take that node's jobs. Give each workstation its own node_id; to replace a machine, reuse its token, revoke the old token, or give the new one takeover: true`,
    { details: { field: 'auth.nodeId', node_id: current.nodeId } },
  );
}

/** The agent's tags the principal may claim (its `tags` globs), and the ones dropped. */
export function claimableTags(
  tags: readonly string[],
  principal: Principal,
): { kept: string[]; dropped: string[] } {
  if (principal.tags === undefined) return { kept: [...tags], dropped: [] };
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const tag of tags) (matchesAny(principal.tags, tag) ? kept : dropped).push(tag);
  return { kept, dropped };
}
