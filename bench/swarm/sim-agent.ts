import { createBackoff, PluginRefs, type Backoff } from '@openclaw-node/agent';
import {
  AGENT_NAMESPACE,
  FATAL_HANDSHAKE_CODES,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type ExecAck,
  type HandshakeAuth,
  type HelloAck,
  type HelloPayload,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { io, type Socket } from 'socket.io-client';
import type { SwarmConfig, SwarmProgress } from './swarm-messages.js';

type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

// The real agent's lists (packages/agent/src/connection/handshake-errors.ts): refusals it never retries.
const FATAL_CONNECT = new Set<string>([...FATAL_HANDSHAKE_CODES, 'INVALID_BODY']);
const FATAL_HELLO = new Set<string>([...FATAL_CONNECT, 'MANIFEST_INVALID']);

/** Counters shared by every agent of one simulator process. */
export type SwarmCounters = Omit<SwarmProgress, 'errors'> & { noteError: (message: string) => void };

/**
 * One simulated workstation agent: the real handshake, `hello` with the real manifests (named by ref
 * as the real agent names them, in full when the server asks), `exec`
 * answered at once, and the real agent's reconnect policy (its own jittered backoff, no Socket.IO
 * reconnection). Light enough to run thousands in one process.
 */
export class SimAgent {
  readonly #socket: AgentSocket;
  readonly #hello: HelloPayload;
  readonly #backoff: Backoff;
  /** Manifests named by ref, as the real agent names them (one per agent: each learns its server's). */
  readonly #refs = new PluginRefs();
  readonly #counters: SwarmCounters;
  readonly #config: SwarmConfig;
  #retry: NodeJS.Timeout | undefined;
  #registered = false;
  #stopped = false;
  #epoch = 0;
  /** Settles the ramp slot at the first outcome of the first attempt. */
  #firstOutcome: (() => void) | undefined;

  constructor(nodeId: string, config: SwarmConfig, counters: SwarmCounters) {
    this.#config = config;
    this.#counters = counters;
    this.#hello = { ...config.hello, nodeId, hostname: nodeId };
    this.#backoff = createBackoff(config.backoff);
    const url = new URL(config.serverUrl);
    const origin = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
    const auth: HandshakeAuth = { token: config.token, nodeId, protocol: PROTOCOL_VERSION };
    this.#socket = io(`${origin}${AGENT_NAMESPACE}`, {
      path: url.pathname,
      transports: ['websocket'],
      auth,
      autoConnect: false,
      forceNew: true,
      reconnection: false,
    });
    this.#wire();
  }

  /** Connect; resolves at the first outcome (registered, or the first failure that was retried). */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.#firstOutcome = resolve;
      this.#socket.connect();
    });
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#setRegistered(false);
    this.#socket.disconnect();
    this.#settleFirst();
  }

  #wire(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#epoch += 1;
      this.#counters.connected += 1;
      void this.#sendHello(this.#epoch);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: unknown } }) => {
      if (this.#stopped) return;
      const code = typeof error.data?.code === 'string' ? error.data.code : undefined;
      if (code && FATAL_CONNECT.has(code)) return this.#giveUp(`connect_error ${code}: ${error.message}`);
      this.#counters.connectErrors += 1;
      this.#counters.noteError(`connect_error: ${error.message}`);
      this.#scheduleReconnect();
    });
    socket.on('disconnect', (reason) => {
      this.#counters.connected -= 1;
      this.#setRegistered(false);
      if (this.#stopped || reason === 'io client disconnect') return;
      this.#counters.disconnects += 1;
      this.#scheduleReconnect();
    });
    socket.on('exec', (request, ack) => {
      // The real agent's messages: one job:accepted that says the job started (protocol 1 since the
      // job-path issue), or, as older agents do, job:accepted then job:started.
      if (this.#config.jobEvents === 'combined') {
        socket.emit('job:accepted', { jobId: request.jobId, queued: false, started: true });
      } else if (this.#config.jobEvents === 'separate') {
        socket.emit('job:accepted', { jobId: request.jobId, queued: false });
        socket.emit('job:started', { jobId: request.jobId });
      }
      this.#counters.execs += 1;
      const answer: ExecAck = { ok: true, result: { n: request.params.n ?? 0 } };
      ack(answer);
    });
    socket.on('session:replaced', () => this.#giveUp('session:replaced'));
  }

  async #sendHello(
    epoch: number,
    byRef = this.#config.pluginRefs && this.#refs.usable(this.#hello),
  ): Promise<void> {
    let answer: HelloAck;
    try {
      answer = (await this.#socket
        .timeout(this.#config.helloTimeoutMs)
        .emitWithAck('hello', byRef ? this.#refs.byRef(this.#hello) : this.#hello)) as HelloAck;
    } catch {
      if (epoch !== this.#epoch || this.#stopped) return;
      this.#counters.helloFailures += 1;
      this.#counters.noteError(`hello not answered within ${this.#config.helloTimeoutMs} ms`);
      this.#socket.disconnect();
      this.#scheduleReconnect();
      return;
    }
    if (epoch !== this.#epoch || this.#stopped) return;
    // As the real agent (packages/agent/src/agent.ts): unknown refs are sent in full on this connection;
    // a server that refuses a hello by ref gets full hellos from then on.
    if (!answer.ok && byRef && answer.error.code === 'MANIFEST_UNKNOWN')
      return this.#socket.connected ? this.#sendHello(epoch, false) : undefined;
    if (!answer.ok && byRef && answer.error.code === 'INVALID_BODY') {
      this.#refs.refused();
      this.#socket.disconnect();
      this.#scheduleReconnect();
      return;
    }
    if (answer.ok) {
      this.#refs.learn(answer.pluginRefs);
      this.#backoff.reset();
      this.#counters.hellos += 1;
      this.#setRegistered(true);
      this.#settleFirst();
      return;
    }
    if (FATAL_HELLO.has(answer.error.code)) return this.#giveUp(`hello refused: ${answer.error.code}`);
    this.#counters.helloFailures += 1;
    this.#counters.noteError(`hello refused: ${answer.error.code} ${answer.error.message}`);
    this.#socket.disconnect();
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#settleFirst();
    if (this.#stopped || this.#retry || this.#socket.connected) return;
    const delay = this.#backoff.next();
    if (delay > this.#counters.maxDelayMs) this.#counters.maxDelayMs = delay;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#stopped) this.#socket.connect();
    }, delay);
  }

  #giveUp(why: string): void {
    if (this.#stopped) return;
    this.#counters.giveUps += 1;
    this.#counters.noteError(`gave up: ${why}`);
    this.stop();
  }

  #setRegistered(value: boolean): void {
    if (value === this.#registered) return;
    this.#registered = value;
    this.#counters.registered += value ? 1 : -1;
  }

  #settleFirst(): void {
    this.#firstOutcome?.();
    this.#firstOutcome = undefined;
  }
}
