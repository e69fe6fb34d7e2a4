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
  reason: string;
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
}

export type HelloAck = { ok: true; serverVersion: string } | { ok: false; error: ErrorPayload };

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

export interface ServerToAgentEvents {
  exec: (request: ExecRequest, ack: (response: ExecAck) => void) => void;
  'job:cancel': (request: CancelRequest) => void;
  'session:replaced': (notice: ReplacedNotice) => void;
}

export interface AgentToServerEvents {
  hello: (payload: HelloPayload, ack: (response: HelloAck) => void) => void;
  'job:progress': (event: JobProgressEvent) => void;
}

/** Error codes the server puts in a Socket.IO `connect_error` (`err.data.code`) that mean "stop retrying". */
export const FATAL_HANDSHAKE_CODES = ['AUTH_REQUIRED', 'AUTH_INVALID', 'FORBIDDEN', 'PROTOCOL_UNSUPPORTED'] as const;
