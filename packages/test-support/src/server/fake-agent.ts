import {
  AGENT_NAMESPACE,
  DEFAULT_SOCKET_PATH,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type CancelRequest,
  type ExecAck,
  type ExecRequest,
  type HelloAck,
  type HelloPayload,
  type ReplacedNotice,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { io, type Socket } from 'socket.io-client';
import { TOKEN, type Json } from './test-server.js';
import { toolsManifest } from './manifests.js';

export type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

/** What the fake agent does with an `exec`: answer, answer later, or never answer. */
export type ExecBehaviour = (request: ExecRequest, agent: FakeAgent) => ExecAck | Promise<ExecAck> | 'never';

export interface FakeAgentOptions {
  nodeId?: string;
  token?: string;
  protocol?: unknown;
  auth?: unknown;
  hello?: Partial<HelloPayload> | Record<string, unknown>;
  onExec?: ExecBehaviour;
  /**
   * Send `job:accepted` then `job:started` for each exec before running it, as agents with limits
   * did; `'started'`, one `job:accepted` with `started: true`, as they do now; `'queued'` accepts it
   * as waiting in the node's queue (start it with `agent.start(jobId)`); `{ raw }` sends that as the
   * `job:accepted` payload and nothing else.
   */
  accept?: boolean | 'queued' | 'started' | { raw: (jobId: string) => unknown };
  /** What to do on `job:cancel`: by default nothing; `'ack'` acks the exec with CANCELLED. */
  onCancel?: 'ack';
}

/** An agent written against the real protocol with socket.io-client, for driving the server in tests. */
export class FakeAgent {
  readonly execs: ExecRequest[] = [];
  readonly cancels: CancelRequest[] = [];
  readonly replaced: ReplacedNotice[] = [];
  helloAck: HelloAck | undefined;
  disconnectReason: string | undefined;

  readonly #acks = new Map<string, (answer: ExecAck) => void>();

  constructor(
    readonly socket: AgentSocket,
    private readonly onExec: ExecBehaviour,
    options: Pick<FakeAgentOptions, 'accept' | 'onCancel'> = {},
  ) {
    socket.on('exec', (request, ack) => {
      this.execs.push(request);
      this.#acks.set(request.jobId, ack);
      const accept = options.accept;
      if (typeof accept === 'object') {
        (socket.emit as (event: string, payload: unknown) => void)('job:accepted', accept.raw(request.jobId));
      } else if (accept === 'started') {
        socket.emit('job:accepted', { jobId: request.jobId, queued: false, started: true });
      } else if (accept) {
        socket.emit('job:accepted', { jobId: request.jobId, queued: accept === 'queued' });
        if (accept !== 'queued') socket.emit('job:started', { jobId: request.jobId });
      }
      const answer = this.onExec(request, this);
      if (answer === 'never') return;
      void Promise.resolve(answer).then((value) => this.answer(request.jobId, value));
    });
    socket.on('job:cancel', (request) => {
      this.cancels.push(request);
      if (options.onCancel === 'ack') {
        this.answer(request.jobId, {
          ok: false,
          error: { code: 'CANCELLED', message: 'cancelled on the node' },
        });
      }
    });
    socket.on('session:replaced', (notice) => this.replaced.push(notice));
    socket.on('disconnect', (reason) => (this.disconnectReason = reason));
  }

  /** Ack an exec now (once); later answers for the same job are ignored, as by a real agent. */
  answer(jobId: string, ack: ExecAck): void {
    const reply = this.#acks.get(jobId);
    this.#acks.delete(jobId);
    reply?.(ack);
  }

  /** Tell the server a job that waited in the node's queue has started. */
  start(jobId: string): void {
    this.socket.emit('job:started', { jobId });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Open a raw socket to the agent namespace and wait for connect or connect_error. */
export async function openAgentSocket(
  url: string,
  auth: unknown,
): Promise<{ socket: AgentSocket; error?: Error & { data?: Json } }> {
  const socket: AgentSocket = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    auth: auth as Record<string, unknown>,
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}

/** The hello a well-behaved linux agent with the `tools` plugin sends. */
export function helloFor(nodeId: string, overrides: FakeAgentOptions['hello'] = {}): HelloPayload {
  return {
    nodeId,
    hostname: `${nodeId}.studio.lan`,
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: ['comp'],
    plugins: [toolsManifest()],
    skipped: [],
    ...(overrides as Partial<HelloPayload>),
  };
}

/** Connect, send hello and return the agent (whatever the ack said). Throws on connect_error. */
export async function connectAgent(url: string, options: FakeAgentOptions = {}): Promise<FakeAgent> {
  const nodeId = options.nodeId ?? 'ws-001';
  const auth = options.auth ?? {
    token: options.token ?? TOKEN,
    nodeId,
    protocol: options.protocol ?? PROTOCOL_VERSION,
  };
  const { socket, error } = await openAgentSocket(url, auth);
  if (error) {
    socket.close();
    throw error;
  }
  const agent = new FakeAgent(
    socket,
    options.onExec ?? ((request) => ({ ok: true, result: { echo: request.params } })),
    options,
  );
  agent.helloAck = await socket.timeout(5000).emitWithAck('hello', helloFor(nodeId, options.hello));
  return agent;
}
