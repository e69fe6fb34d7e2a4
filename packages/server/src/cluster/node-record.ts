import type { AgentLimits, Platform, PluginHealth, SkippedPlugin } from '@openclaw-node/core';
import type { AdvertisedPlugin, AgentConnection, NodeSession } from '../nodes/node-registry.js';

/** A connected node as stored in Redis and announced to the other processes. */
export interface NodeRecord {
  node_id: string;
  /** The process holding the connection. */
  owner: string;
  connection_id: string;
  hostname: string;
  platform: Platform;
  arch: string;
  agent_version: string;
  tags: string[];
  /** Plugin name → manifest hash (manifests are stored once per hash). */
  plugins: Record<string, string>;
  skipped: SkippedPlugin[];
  limits?: AgentLimits;
  connected_at: number;
  last_seen_at: number;
  started_at?: number;
  os?: string;
  health?: PluginHealth[];
  allowed_paths?: string[];
  /** Who connected it (principalKey), so another process refuses a takeover too. */
  principal_key?: string;
}

/** The record of a session held by `owner`. */
export function toNodeRecord(session: NodeSession, owner: string): NodeRecord {
  const record: NodeRecord = {
    node_id: session.nodeId,
    owner,
    connection_id: session.connection.id,
    hostname: session.hostname,
    platform: session.platform,
    arch: session.arch,
    agent_version: session.agentVersion,
    tags: session.tags,
    plugins: Object.fromEntries([...session.plugins].map(([name, p]) => [name, p.hash])),
    skipped: session.skipped,
    connected_at: session.connectedAt.getTime(),
    last_seen_at: session.lastSeenAt.getTime(),
  };
  if (session.limits) record.limits = session.limits;
  if (session.startedAt) record.started_at = session.startedAt.getTime();
  if (session.os !== undefined) record.os = session.os;
  if (session.health) record.health = session.health;
  if (session.allowedPaths) record.allowed_paths = session.allowedPaths;
  if (session.principalKey !== undefined) record.principal_key = session.principalKey;
  return record;
}

/** A session for a node another process holds; `plugins` are the admitted manifests of its hashes. */
export function fromNodeRecord(
  record: NodeRecord,
  plugins: Map<string, AdvertisedPlugin>,
  connection: AgentConnection,
): NodeSession {
  const session: NodeSession = {
    nodeId: record.node_id,
    hostname: record.hostname,
    platform: record.platform,
    arch: record.arch,
    agentVersion: record.agent_version,
    tags: record.tags,
    plugins,
    skipped: record.skipped,
    connectedAt: new Date(record.connected_at),
    lastSeenAt: new Date(record.last_seen_at),
    connection,
  };
  if (record.limits) session.limits = record.limits;
  if (record.started_at !== undefined) session.startedAt = new Date(record.started_at);
  if (record.os !== undefined) session.os = record.os;
  if (record.health) session.health = record.health;
  if (Array.isArray(record.allowed_paths)) session.allowedPaths = record.allowed_paths;
  if (typeof record.principal_key === 'string') session.principalKey = record.principal_key;
  return session;
}

/** Parse a record read from Redis; undefined when it is not one (another version wrote it). */
export function parseNodeRecord(json: string): NodeRecord | undefined {
  try {
    const value = JSON.parse(json) as Partial<NodeRecord>;
    const ok =
      typeof value.node_id === 'string' &&
      typeof value.owner === 'string' &&
      typeof value.connection_id === 'string' &&
      typeof value.plugins === 'object' &&
      value.plugins !== null &&
      Array.isArray(value.tags);
    return ok ? (value as NodeRecord) : undefined;
  } catch {
    return undefined;
  }
}
