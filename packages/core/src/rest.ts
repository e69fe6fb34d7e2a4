import type { ErrorPayload } from './errors.js';
import type { ActionManifest, JsonSchema, PluginManifest } from './manifest.js';
import type { Platform } from './platform.js';
import type { SkippedPlugin } from './protocol.js';

/** REST bodies: snake_case on the wire, as in the original README. */

export interface HealthResponse {
  status: 'ok';
  version: string;
  nodes_connected: number;
  pending_commands: number;
  uptime_s: number;
}

export interface NodeSummary {
  node_id: string;
  hostname: string;
  platform: Platform;
  arch: string;
  agent_version: string;
  tags: string[];
  /** Plugin names this node advertises. */
  plugins: string[];
  status: 'online';
  connected_at: string;
  last_seen_at: string;
  pending_commands: number;
}

export interface PendingJob {
  command_id: string;
  action: string;
  started_at: string;
  progress?: number;
  message?: string;
}

export interface NodeDetail extends NodeSummary {
  manifests: PluginManifest[];
  skipped_plugins: SkippedPlugin[];
  pending_jobs: PendingJob[];
}

export interface NodesResponse {
  nodes: NodeSummary[];
  count: number;
}

/** `POST /api/nodes/:id/exec` */
export interface ExecBody {
  action: string;
  params?: Record<string, unknown>;
  /** Seconds. */
  timeout?: number;
}

export interface ExecSuccess {
  status: 'success';
  command_id: string;
  node_id: string;
  action: string;
  result: unknown;
  duration_ms: number;
}

export interface ErrorBody {
  status: 'error' | 'timeout';
  error: ErrorPayload;
  command_id?: string;
}

export type ExecResponse = ExecSuccess | ErrorBody;

export interface CatalogAction {
  description: string;
  params: JsonSchema;
  result?: JsonSchema;
  timeout?: number;
  exclusive?: boolean;
}

export interface CatalogNode {
  node_id: string;
  version: string;
  platform: Platform;
}

/** One plugin in `/api/plugins`: merged over every connected node that has it. */
export interface CatalogPlugin {
  name: string;
  /** From the newest version. */
  description: string;
  /** Every version seen, newest first. */
  versions: string[];
  /** Union of the platforms of every version. */
  platforms: Platform[];
  /** Actions of the newest version. */
  actions: Record<string, CatalogAction>;
  nodes: CatalogNode[];
}

export interface PluginsResponse {
  plugins: CatalogPlugin[];
  count: number;
}

export type { ActionManifest };
