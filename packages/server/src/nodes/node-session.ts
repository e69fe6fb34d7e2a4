import type {
  AgentLimits,
  ExecRequest,
  Platform,
  PluginHealth,
  PluginManifest,
  SkippedPlugin,
} from '@openclaw-node/core';

/** What the server can do with one agent's connection; the gateway implements it over Socket.IO. */
export interface AgentConnection {
  /** Unique per connection (a reconnect gets a new id). */
  readonly id: string;
  /**
   * Send `exec`; `onAck` gets the raw ack (the caller keeps the deadline). Returns a function that
   * stops listening (the job ended another way).
   */
  sendExec(request: ExecRequest, onAck: (ack: unknown) => void): () => void;
  sendCancel(jobId: string): void;
  /** Tell the agent another connection took its node id, then drop it. */
  replace(reason: string): void;
}

/** A plugin a node advertised, with the hash of its manifest (the key of its compiled validators). */
export interface AdvertisedPlugin {
  manifest: PluginManifest;
  hash: string;
}

/** One connected node: a valid hello was accepted on `connection`. */
export interface NodeSession {
  nodeId: string;
  hostname: string;
  platform: Platform;
  arch: string;
  agentVersion: string;
  tags: string[];
  plugins: Map<string, AdvertisedPlugin>;
  skipped: SkippedPlugin[];
  /** The agent's job limits; absent for an agent that predates `job:accepted`. */
  limits?: AgentLimits;
  connectedAt: Date;
  lastSeenAt: Date;
  connection: AgentConnection;
  /** When the agent process started, if it said. */
  startedAt?: Date;
  /** `Linux 6.8.0`, if the agent said. */
  os?: string;
  /** The last capability health the agent reported (hello, then `node:health`). */
  health?: PluginHealth[];
  /** The folders the agent lets `format: "path"` params reach, as its hello said (older agents: absent). */
  allowedPaths?: string[];
  /** Who connected it (principalKey): only the same credential, or a takeover token, may replace it. */
  principalKey?: string;
}
