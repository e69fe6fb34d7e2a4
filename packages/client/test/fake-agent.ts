import {
  AGENT_NAMESPACE,
  DEFAULT_SOCKET_PATH,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type ExecAck,
  type ExecRequest,
  type PluginManifest,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { io, type Socket } from 'socket.io-client';

export const PING_MANIFEST: PluginManifest = {
  name: 'tools',
  version: '1.0.0',
  description: 'Test tools',
  platforms: ['linux'],
  sdk: '1.0.0',
  actions: {
    ping: { description: 'Pong', params: { type: 'object', additionalProperties: false, properties: {} } },
    open_folder: {
      description: 'Open a folder',
      params: {
        type: 'object',
        required: ['path'],
        properties: { path: { type: 'string', format: 'path' } },
      },
    },
  },
};

/** A minimal agent speaking the real protocol: hello, then answer each exec with `answer`. */
export async function connectFakeAgent(
  url: string,
  token: string,
  nodeId: string,
  answer: (request: ExecRequest) => ExecAck | 'never',
  options: { tags?: string[]; onCancel?: 'ack' } = {},
): Promise<{
  socket: Socket<ServerToAgentEvents, AgentToServerEvents>;
  execs: ExecRequest[];
  cancels: string[];
  /** Ack a job answered 'never' so far. */
  reply: (jobId: string, ack: ExecAck) => void;
}> {
  const socket: Socket<ServerToAgentEvents, AgentToServerEvents> = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    auth: { token, nodeId, protocol: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
  });
  const execs: ExecRequest[] = [];
  const cancels: string[] = [];
  const acks = new Map<string, (ack: ExecAck) => void>();
  const reply = (jobId: string, ack: ExecAck): void => {
    acks.get(jobId)?.(ack);
    acks.delete(jobId);
  };
  socket.on('exec', (request, ack) => {
    execs.push(request);
    acks.set(request.jobId, ack);
    const answered = answer(request);
    if (answered !== 'never') reply(request.jobId, answered);
  });
  socket.on('job:cancel', ({ jobId }) => {
    cancels.push(jobId);
    if (options.onCancel === 'ack')
      reply(jobId, { ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5000).emitWithAck('hello', {
    nodeId,
    hostname: nodeId,
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: options.tags ?? [],
    plugins: [PING_MANIFEST],
    skipped: [],
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return { socket, execs, cancels, reply };
}
