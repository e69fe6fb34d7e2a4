import type { ErrorPayload } from './errors.js';
import type { PluginManifest } from './manifest.js';
import type { Platform } from './platform.js';

/** Bumped only for a breaking change of the agent protocol. */
export const PROTOCOL_VERSION = 1;
/** The Socket.IO namespace agents connect to. */
export const AGENT_NAMESPACE = '/agent';
/** Default Socket.IO path, as in the original `ws://host:8765/ws`. */
export const DEFAULT_SOCKET_PATH = '/ws';

/** Handshake `auth` sent by an agent. */
export interface HandshakeAuth {
  token: string;
  nodeId: string;
  protocol: number;
}

/** A plugin the agent did not load or advertise, with why. */
export interface SkippedPlugin {
  name: string;
  /** For people; older agents send only this. */
  reason: string;
  /**
   * Why, for programs (sent by agents since 0.1; an older agent sends none): `PLATFORM_UNSUPPORTED` (the plugin does not
   * support this OS), `PLUGIN_NOT_FOUND` (nothing found under that name), `PLUGIN_LOAD_FAILED`,
   * `MANIFEST_INVALID`, or another UPPER_SNAKE code.
   */
  code?: string;
}

/** Agent → server `hello`: who the node is and what it can do. */
export interface HelloPayload {
  nodeId: string;
  hostname: string;
  platform: Platform;
  arch: string;
  agentVersion: string;
  tags: string[];
  plugins: PluginManifest[];
  skipped: SkippedPlugin[];
  /** When the agent process started (ISO 8601), for uptime. Optional for older agents. */
  startedAt?: string;
  /** OS name and release, e.g. `Linux 6.8.0`, `Windows_NT 10.0.22631`. */
  os?: string;
  /** Whether each advertised plugin (and action) can run here, and why not. */
  health?: PluginHealth[];
  /** The agent's concurrency limit and queue bound, so the server can tell NODE_BUSY apart. */
  limits?: AgentLimits;
  /**
   * The absolute folders this agent lets `format: "path"` params reach (its allowed_paths for this OS),
   * for people choosing a path; the agent still enforces them. Optional: older agents omit it.
   */
  allowed_paths?: string[];
  /**
   * Manifests named by their ref instead of sent (MANIFEST_REF_PATTERN): the server looks them up among
   * the manifests it has seen. A hello that uses refs has no `plugins` field at all, so that a server
   * that does not know refs refuses it instead of registering the node without them.
   */
  pluginRefs?: string[];
}

/** A hello whose manifests are all named by ref (HelloPayload.pluginRefs). */
export type HelloByRefPayload = Omit<HelloPayload, 'plugins' | 'pluginRefs'> & { pluginRefs: string[] };

/**
 * How a manifest is named in HelloPayload.pluginRefs: `sha256:` and the SHA-256 (hex) of its
 * stableStringify text. The server answers every accepted hello with the refs of the node's plugins.
 */
export const MANIFEST_REF_PATTERN = '^sha256:[0-9a-f]{64}$';

/** Can this plugin run on this node? Reported at hello and again on `node:health`. */
export interface PluginHealth {
  plugin: string;
  available: boolean;
  /** Why not, for people: "rv not installed (looked in …)", "scripting disabled". */
  reason?: string;
  /** The application the plugin drives, when found. */
  app?: { path: string; version?: string };
  /** Per-action exceptions; an action missing here follows the plugin's `available`. */
  actions?: Record<string, { available: boolean; reason?: string }>;
  /** ISO 8601 time of the check. */
  checkedAt: string;
}

export interface AgentLimits {
  maxConcurrentJobs: number;
  maxQueuedJobs: number;
}

/** Agent → server `node:health`: capability health changed (an app was installed or removed). */
export interface NodeHealthEvent {
  health: PluginHealth[];
}

/** Agent → server `job:accepted`: delivery acknowledgement, sent when an `exec` arrives (queued or started). */
export interface JobAcceptedEvent {
  jobId: string;
  /** True when the job waits in the agent's queue behind the concurrency limit or an exclusive action. */
  queued: boolean;
  /**
   * True when the handler starts at once: this message then also says what `job:started` says, and no
   * `job:started` follows (one message per job instead of two). Absent or false: `job:started` comes
   * when the job leaves the queue. Older agents never send it; older servers ignore it.
   */
  started?: boolean;
}

/** Agent → server `job:started`: the job left the agent's queue and its handler is running. */
export interface JobStartedEvent {
  jobId: string;
}

export type HelloAck =
  | {
      ok: true;
      serverVersion: string;
      /** The ref of each plugin of the node by name (servers that take refs send it; older ones do not). */
      pluginRefs?: Record<string, string>;
    }
  | { ok: false; error: ErrorPayload };

/** Server → agent `exec`: run one action. */
export interface ExecRequest {
  jobId: string;
  /** `plugin.action` */
  action: string;
  params: Record<string, unknown>;
  timeoutMs: number;
}

export type ExecAck = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

/** Agent → server `job:progress`: progress, a status message, or a chunk of log output. */
export interface JobProgressEvent {
  jobId: string;
  /** 0..1 */
  progress?: number;
  message?: string;
  stream?: 'stdout' | 'stderr' | 'log';
  chunk?: string;
}

export interface CancelRequest {
  jobId: string;
}

/** Server → agent `session:replaced`: another agent took this node id; do not reconnect. */
export interface ReplacedNotice {
  reason: string;
}

/**
 * Server → agent `session:revoked`: the agent's token no longer allows this connection (revoked or
 * re-scoped in the tokens file, or expired); the server disconnects right after. `code` is
 * AUTH_INVALID or FORBIDDEN, as a reconnect with the same token would get.
 */
export interface RevokedNotice {
  code: string;
  reason: string;
}

export interface ServerToAgentEvents {
  exec: (request: ExecRequest, ack: (response: ExecAck) => void) => void;
  'job:cancel': (request: CancelRequest) => void;
  'session:replaced': (notice: ReplacedNotice) => void;
  'session:revoked': (notice: RevokedNotice) => void;
}

export interface AgentToServerEvents {
  hello: (payload: HelloPayload | HelloByRefPayload, ack: (response: HelloAck) => void) => void;
  'job:progress': (event: JobProgressEvent) => void;
  'job:accepted': (event: JobAcceptedEvent) => void;
  'job:started': (event: JobStartedEvent) => void;
  'node:health': (event: NodeHealthEvent) => void;
}

/** Error codes the server puts in a Socket.IO `connect_error` (`err.data.code`) that mean "stop retrying". */
export const FATAL_HANDSHAKE_CODES = [
  'AUTH_REQUIRED',
  'AUTH_INVALID',
  'FORBIDDEN',
  'PROTOCOL_UNSUPPORTED',
  'INVALID_BODY',
] as const;
