import type { BackoffOptions } from '@openclaw-node/agent';
import type { HelloPayload } from '@openclaw-node/core';

/** What one simulator process is told to do (parent → child, over the fork IPC channel). */
export type JobEventStyle = 'combined' | 'separate' | 'none';

export interface SwarmConfig {
  /** `ws://127.0.0.1:port/ws`: origin and Socket.IO path, like an agent's `server_url`. */
  serverUrl: string;
  /** More servers: each gets its own set of the same agents (ids), from this one process. */
  moreServerUrls?: string[];
  token: string;
  /** Node ids are `${idPrefix}${first + i}` for i in 0..count-1. */
  idPrefix: string;
  first: number;
  count: number;
  /** The hello every simulated agent sends (nodeId replaced per agent). */
  hello: HelloPayload;
  /** At most this many handshakes+hellos in flight during the first connect (a ramp, not a storm). */
  rampInFlight: number;
  backoff: BackoffOptions;
  helloTimeoutMs: number;
  /**
   * Before acking an exec: `combined`, one `job:accepted` with `started: true`, as the real agent
   * does; `separate`, `job:accepted` then `job:started`, as agents before it did; `none`, nothing.
   */
  jobEvents: JobEventStyle;
  /** Name the manifests by ref in `hello`, as the real agent does (false: full hellos, as older agents). */
  pluginRefs: boolean;
}

export type ParentMessage =
  | { type: 'start'; config: SwarmConfig }
  /** Close every connection and exit. */
  | { type: 'stop' };

/** Counters of one simulator process; the parent sums them. */
export interface SwarmProgress {
  /** Agents whose last hello was accepted and whose socket is still connected. */
  registered: number;
  /** Agents with an open Socket.IO connection (registered or still sending hello). */
  connected: number;
  /** Accepted hellos, first registrations and re-registrations alike. */
  hellos: number;
  /** connect_error events that were retried (server down, refused, timed out). */
  connectErrors: number;
  /** Hellos refused or unanswered in time (then retried). */
  helloFailures: number;
  /** Disconnects not asked for by the simulator. */
  disconnects: number;
  /** Agents that stopped retrying for good: a fatal handshake code or hello refusal. Must stay 0. */
  giveUps: number;
  /** `exec` requests answered. */
  execs: number;
  /** Longest backoff delay drawn so far, ms. */
  maxDelayMs: number;
  /** The first few distinct error messages, for the report. */
  errors: string[];
}

export type ChildMessage =
  /** Loaded and listening for `start`. */
  | { type: 'ready' }
  | { type: 'progress'; progress: SwarmProgress }
  | { type: 'stopped'; progress: SwarmProgress }
  | { type: 'failed'; message: string };
