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
  /** The server's clock when it answered: ISO 8601, UTC, with `Z` (as the Python original). */
  timestamp: string;
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
  /** The agent's job limits, when it reports them (agents since jobs). */
  limits?: { max_concurrent_jobs: number; max_queued_jobs: number };
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
  /** The Python original's name for `last_seen_at` (the same instant). */
  last_heartbeat: string;
  manifests: PluginManifest[];
  skipped_plugins: SkippedPlugin[];
  pending_jobs: PendingJob[];
  /** When the agent started (ISO 8601). */
  started_at?: string;
  /** Every plugin's last health check, sorted by plugin. */
  health?: NodePluginHealth[];
  /**
   * The folders the agent lets `format: "path"` params reach, as it reported them; absent for agents that
   * do not say (older ones). For people choosing a path: the agent enforces its own list.
   */
  allowed_paths?: string[];
}

export interface NodesResponse {
  nodes: NodeSummary[];
  count: number;
}

/** `POST /api/nodes/:id/exec` */
export interface ExecBody {
  action: string;
  params?: Record<string, unknown>;
  /** Seconds; default the action's manifest `timeout`, capped by the server's maximum. */
  timeout?: number;
  /** Default true: answer when the job ends. `false`: answer 202 at once with the job's links. */
  wait?: boolean;
  /** Offline delivery: if the node is not connected, keep the job queued until it connects (202). */
  queue?: boolean;
  /** Seconds a queued job may wait for its node before it expires (with `queue`). */
  ttl?: number;
}

/** Where to follow a job: paths relative to the server's base URL. */
export interface JobLinks {
  /** `GET`: the job record. */
  self: string;
  /** `GET`: Server-Sent Events (state, progress, log). */
  events: string;
  /** `POST`: cancel it. */
  cancel: string;
}

export interface ExecSuccess {
  status: 'success';
  command_id: string;
  node_id: string;
  action: string;
  result: unknown;
  duration_ms: number;
  links?: JobLinks;
}

/** 202 answer of an exec that does not wait (`wait: false`, or an offline-queued job). */
export interface ExecAccepted {
  status: 'accepted';
  command_id: string;
  node_id: string;
  action: string;
  /** `queued` (waiting for the node) or `running`; a replayed job may already have ended. */
  state: JobStateName;
  /** Offline queue: when the job expires if the node has not connected. */
  expires_at: string | null;
  links: JobLinks;
}

export interface ErrorBody {
  status: 'error' | 'timeout';
  error: ErrorPayload;
  command_id?: string;
  links?: JobLinks;
}

export type ExecResponse = ExecSuccess | ExecAccepted | ErrorBody;

/** Every state a job can be in, in lifecycle order; see docs/jobs.md. */
export const JOB_STATE_NAMES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'lost',
  'expired',
] as const;

/** The states of a job. */
export type JobStateName = (typeof JOB_STATE_NAMES)[number];

/** A state a job never leaves. */
export type TerminalJobStateName = Exclude<JobStateName, 'queued' | 'running'>;

/** The states a job never leaves. */
export const TERMINAL_JOB_STATES: readonly TerminalJobStateName[] = JOB_STATE_NAMES.filter(
  (state): state is TerminalJobStateName => state !== 'queued' && state !== 'running',
);

/** One job as served by `GET /api/jobs/:id` (snake_case, ISO 8601 times). */
export interface JobView {
  command_id: string;
  node_id: string;
  action: string;
  /** As sent, with values the schema marks secret replaced by "[redacted]". */
  params: Record<string, unknown>;
  /** Name of the token that asked for the job. */
  requested_by: string | null;
  state: JobStateName;
  created_at: string;
  expires_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  progress: number | null;
  message: string | null;
  result: unknown;
  error: ErrorPayload | null;
  log_tail: string[];
  timeout_s: number | null;
  idempotency_key: string | null;
  batch_id: string | null;
  links: JobLinks;
}

/** `GET /api/jobs`: newest first; pass `next_cursor` as `cursor` for the next page. */
export interface JobsResponse {
  jobs: JobView[];
  count: number;
  next_cursor: string | null;
}

/** Filters of `GET /api/jobs`; every one given must match. */
export interface JobsQuery {
  node?: string;
  /** One state or several. */
  state?: JobStateName | readonly JobStateName[];
  action?: string;
  batch?: string;
  requested_by?: string;
}

/** One event of a job: the `data:` of an SSE message of `GET /api/jobs/:id/events`. */
export type JobEventView = {
  /** 1, 2, 3… per job: the SSE `id`, to resume after. */
  seq: number;
  job_id: string;
  at: string;
} & (
  | { type: 'state'; data: { state: JobStateName; error?: ErrorPayload } }
  | { type: 'progress'; data: { progress: number | null; message: string | null } }
  | { type: 'log'; data: { lines: string[] } }
);

/** Which nodes a fan-out targets: every criterion given must match (tags: all of them). */
export interface ExecTargetSelector {
  /** Node ids; with `queue`, nodes not connected get a queued job. */
  nodes?: string[];
  tags?: string[];
  platform?: Platform;
  /** Only nodes that loaded this plugin. */
  plugin?: string;
  /** Every connected node (when no other criterion is given). */
  all?: boolean;
}

/** `POST /api/exec`: one action on every matching node. */
export interface FanOutBody {
  target: ExecTargetSelector;
  action: string;
  params?: Record<string, unknown>;
  timeout?: number;
  /** Default false: answer 202 once every job is sent; true waits for all of them. */
  wait?: boolean;
  queue?: boolean;
  ttl?: number;
}

/** One job of a fan-out; `result`/`error` once it ended (with `wait: true`). */
export interface FanOutJob {
  node_id: string;
  command_id: string;
  state: JobStateName;
  links: JobLinks;
  result?: unknown;
  error?: ErrorPayload;
  duration_ms?: number | null;
}

/** A matched node that got no job, and why. */
export interface FanOutUnavailable {
  node_id: string;
  reason: string;
  code: string;
}

/** The aggregated answer of `POST /api/exec`. */
export interface FanOutResponse {
  batch_id: string;
  action: string;
  jobs: FanOutJob[];
  unavailable: FanOutUnavailable[];
}

export interface CatalogAction {
  description: string;
  params: JsonSchema;
  result?: JsonSchema;
  timeout?: number;
  exclusive?: boolean;
  /** The codes the action may answer besides the generic ones (its plugin's own and core's). */
  errors?: string[];
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
  /** The plugin's own error codes (newest version), each with when it is answered. */
  errors?: Record<string, string>;
  nodes: CatalogNode[];
}

export interface PluginsResponse {
  plugins: CatalogPlugin[];
  count: number;
}

export type { ActionManifest };
