import { request, type ClientRequest } from 'node:http';
import {
  AGENT_NAMESPACE,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type ExecAccepted,
  type ExecAck,
  type ExecRequest,
  type HandshakeAuth,
  type HelloAck,
  type JobEventView,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { io, type Socket } from 'socket.io-client';
import { HttpClient } from './http-client.js';
import { percentile, type Sequential } from './stats.js';
import { simulatedHello } from './swarm/hello.js';

const PROBE_NODE = 'bench-progress-probe';
const WAIT_MS = 10_000;

export interface ProgressProbeOptions {
  /** The agent's `server_url` (ws://…/ws): the process holding the probe's socket. */
  agentUrl: string;
  /** Where the job is started and the SSE client listens (another process, or the same one). */
  restBase: string;
  token: string;
  count: number;
  warmup: number;
}

/**
 * The server keeps at most a burst of 200 `job:progress` events per job (then 50/s; the rest are
 * dropped as a flood): each job of the probe stays well under it, so no event is dropped by design.
 */
const EVENTS_PER_JOB = 150;

/**
 * Progress event → SSE: an agent in this process emits `job:progress` and an SSE client in this
 * process (same clock) waits for that event on `GET /api/jobs/:id/events`; one at a time, so each
 * figure is one trip through the server(s) — and, in scale-out mode, through Redis. A new job every
 * EVENTS_PER_JOB events; the job starts are not timed.
 */
export async function measureProgressToSse(o: ProgressProbeOptions): Promise<Sequential> {
  const agent = await ProbeAgent.connect(o.agentUrl, o.token);
  const client = new HttpClient(o.restBase, { token: o.token, maxSockets: 2 });
  try {
    await waitForNode(client, PROBE_NODE);
    const samples: number[] = [];
    const total = o.warmup + o.count;
    for (let sent = 0; sent < total;) {
      const events = Math.min(EVENTS_PER_JOB, total - sent);
      const latencies = await probeOneJob(agent, client, o, sent, events);
      for (const [i, latency] of latencies.entries()) if (sent + i >= o.warmup) samples.push(latency);
      sent += events;
    }
    samples.sort((a, b) => a - b);
    return {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    };
  } finally {
    client.close();
    agent.close();
  }
}

/** One job: started with `wait: false`, followed over SSE, `events` progress events timed, then answered. */
async function probeOneJob(
  agent: ProbeAgent,
  client: HttpClient,
  o: ProgressProbeOptions,
  first: number,
  events: number,
): Promise<number[]> {
  const body = JSON.stringify({ action: 'bench.noop', params: { n: 1 }, wait: false, timeout: 600 });
  const r = await client.post(`/api/nodes/${PROBE_NODE}/exec`, body);
  if (r.status !== 202)
    throw new Error(`progress probe exec: ${r.status} ${r.body.toString().slice(0, 300)}`);
  const accepted = JSON.parse(r.body.toString()) as ExecAccepted;
  const job = await agent.nextExec();
  const sse = await SseFollower.open(o.restBase, accepted.links.events, o.token);
  try {
    const latencies: number[] = [];
    for (let i = first; i < first + events; i++) {
      const message = `probe ${i}`;
      const arrived = sse.waitFor((e) => e.type === 'progress' && e.data.message === message);
      const t0 = performance.now();
      agent.progress(job.request.jobId, message);
      await arrived;
      latencies.push(performance.now() - t0);
    }
    const ended = sse.waitFor((e) => e.type === 'state' && e.data.state === 'succeeded');
    job.ack({ ok: true, result: { n: 1 } });
    await ended;
    return latencies;
  } finally {
    sse.close();
  }
}

/** Until `GET /api/nodes/:id` finds the node (another process learns of it through Redis). */
async function waitForNode(client: HttpClient, nodeId: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const r = await client.get(`/api/nodes/${nodeId}`);
    if (r.status === 200) return;
    if (performance.now() > deadline) {
      throw new Error(`progress probe: ${nodeId} not listed within ${WAIT_MS} ms (${r.status})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ReceivedExec {
  request: ExecRequest;
  ack: (answer: ExecAck) => void;
}

/** A minimal agent advertising `bench.noop` that holds each exec open until told to answer. */
class ProbeAgent {
  readonly #socket: Socket<ServerToAgentEvents, AgentToServerEvents>;
  /** Execs received and not yet taken (one may arrive before the 202 that announces it). */
  readonly #received: ReceivedExec[] = [];
  #onExec: (() => void) | undefined;

  private constructor(socket: Socket<ServerToAgentEvents, AgentToServerEvents>) {
    this.#socket = socket;
    socket.on('exec', (request, ack) => {
      socket.emit('job:accepted', { jobId: request.jobId, queued: false });
      socket.emit('job:started', { jobId: request.jobId });
      this.#received.push({ request, ack });
      this.#onExec?.();
    });
  }

  static async connect(agentUrl: string, token: string): Promise<ProbeAgent> {
    const url = new URL(agentUrl);
    const auth: HandshakeAuth = { token, nodeId: PROBE_NODE, protocol: PROTOCOL_VERSION };
    const socket: Socket<ServerToAgentEvents, AgentToServerEvents> = io(
      `http://${url.host}${AGENT_NAMESPACE}`,
      { path: url.pathname, transports: ['websocket'], auth, forceNew: true, reconnection: false },
    );
    const agent = new ProbeAgent(socket);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const hello = { ...simulatedHello({ bench: true }), nodeId: PROBE_NODE, hostname: PROBE_NODE };
      const answer = (await socket.timeout(WAIT_MS).emitWithAck('hello', hello)) as HelloAck;
      if (!answer.ok)
        throw new Error(`progress probe hello refused: ${answer.error.code} ${answer.error.message}`);
    } catch (error) {
      agent.close();
      throw error;
    }
    return agent;
  }

  /** The next exec received (maybe already), within WAIT_MS. */
  nextExec(): Promise<ReceivedExec> {
    return new Promise((resolve, reject) => {
      const take = (): boolean => {
        const exec = this.#received.shift();
        if (exec === undefined) return false;
        clearTimeout(timer);
        this.#onExec = undefined;
        resolve(exec);
        return true;
      };
      const timer = setTimeout(() => {
        this.#onExec = undefined;
        reject(new Error(`progress probe: no exec within ${WAIT_MS} ms`));
      }, WAIT_MS);
      if (!take()) this.#onExec = take;
    });
  }

  progress(jobId: string, message: string): void {
    this.#socket.emit('job:progress', { jobId, message });
  }

  close(): void {
    this.#socket.disconnect();
  }
}

/** One event stream read with node:http (uncompressed), parsed as it arrives. */
class SseFollower {
  readonly #request: ClientRequest;
  #buffer = '';
  #waiter: { match: (e: JobEventView) => boolean; resolve: () => void } | undefined;
  #failure: Error | undefined;
  #onFailure: ((error: Error) => void) | undefined;
  /** The last few events, for the error message when the awaited one does not come. */
  readonly #recent: string[] = [];

  private constructor(req: ClientRequest) {
    this.#request = req;
  }

  static open(base: string, route: string, token: string): Promise<SseFollower> {
    const url = new URL(route, base);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            return reject(new Error(`GET ${route}: ${res.statusCode}`));
          }
          res.setEncoding('utf8');
          res.on('data', (text: string) => follower.#read(text));
          res.on('end', () => follower.#fail(new Error(`${route} ended`)));
          res.on('error', (error) => follower.#fail(error));
          resolve(follower);
        },
      );
      const follower = new SseFollower(req);
      req.on('error', (error) => {
        follower.#fail(error);
        reject(error);
      });
      req.end();
    });
  }

  /** Resolves at the first event (from now on) that matches. */
  waitFor(match: (e: JobEventView) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching SSE event within ${WAIT_MS} ms (last events: ${this.#recent.join(', ') || 'none'})`,
            ),
          ),
        WAIT_MS,
      );
      this.#onFailure = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      this.#waiter = {
        match,
        resolve: () => {
          clearTimeout(timer);
          this.#waiter = undefined;
          this.#onFailure = undefined;
          resolve();
        },
      };
    });
  }

  close(): void {
    this.#request.destroy();
  }

  #read(text: string): void {
    this.#buffer += text;
    for (let end = this.#buffer.indexOf('\n\n'); end >= 0; end = this.#buffer.indexOf('\n\n')) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data === undefined) continue; // retry: and heartbeat comments
      const event = JSON.parse(data.slice(6)) as JobEventView;
      this.#recent.push(`${event.seq} ${event.type} ${JSON.stringify(event.data).slice(0, 60)}`);
      if (this.#recent.length > 4) this.#recent.shift();
      if (this.#waiter?.match(event)) this.#waiter.resolve();
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#onFailure?.(this.#failure);
  }
}
