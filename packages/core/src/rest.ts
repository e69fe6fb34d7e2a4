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
  /** Seconds since the agent started; absent for agents that do not say when they started. */
  uptime_s?: number;
  /** OS name and release, e.g. `Linux 6.8.0`, `Windows_NT 10.0.22631`. */
  os?: string;
  /** The application each plugin drives, where its health check found one. */
  apps?: Record<string, { path: string; version?: string }>;
  /** Plugins whose health check says they cannot run on this node (sorted). */
  unavailable?: string[];
}

/** Whether one plugin can run on a node, as its last health check said (snake_case of PluginHealth). */
export interface NodePluginHealth {
  plugin: string;
  available: boolean;
  reason?: string;
  app?: { path: string; version?: string };
  /** Per-action exceptions; an action missing here follows the plugin's `available`. */
  actions?: Record<string, { available: boolean; reason?: string }>;
  checked_at: string;
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
  /** When the agent started (ISO 8601). */
  started_at?: string;
  /** Every plugin's last health check, sorted by plugin. */
  health?: NodePluginHealth[];
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
  /** False when the node's health check says the plugin cannot run there; absent when not checked. */
  available?: boolean;
  /** Why not (or why availability is unknown). */
  reason?: string;
  /** Version of the application the plugin drives on that node. */
  app_version?: string;
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
