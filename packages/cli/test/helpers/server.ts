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
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';

export const TOKEN = 'cli-test-token-8c2f';

/** A render-like plugin whose params cover every type the CLI coerces. */
export const RENDER_MANIFEST: PluginManifest = {
  name: 'render',
  version: '1.2.0',
  description: 'Render things',
  platforms: ['linux', 'windows'],
  sdk: '1.0.0',
  actions: {
    ping: { description: 'Answer pong', params: { type: 'object', properties: {} } },
    submit: {
      description: 'Submit a render',
      params: {
        type: 'object',
        required: ['script'],
        additionalProperties: false,
        properties: {
          script: { type: 'string', format: 'path' },
          threads: { type: 'integer', minimum: 1 },
          quality: { type: 'number' },
          gui: { type: 'boolean' },
          frames: { type: 'array', items: { type: 'integer' } },
          sources: { type: 'array', items: { type: 'string' } },
          options: { type: 'object' },
          frame_range: { type: 'string' },
          priority: { type: ['integer', 'null'] },
          mode: { enum: ['draft', 'final'] },
        },
      },
    },
  },
};

export interface TestBed {
  url: string;
  env: Record<string, string>;
  execs: ExecRequest[];
  close(): Promise<void>;
}

/** A real server on port 0 and a fake agent `ws-042` that echoes params (or fails on `script=/fail`). */
export async function startTestBed(): Promise<TestBed> {
  const server: OpenClawServer = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'test', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  const { url } = await server.listen();
  const execs: ExecRequest[] = [];
  const socket: Socket<ServerToAgentEvents, AgentToServerEvents> = io(`${url}${AGENT_NAMESPACE}`, {
    path: DEFAULT_SOCKET_PATH,
    transports: ['websocket'],
    auth: { token: TOKEN, nodeId: 'ws-042', protocol: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
  });
  socket.on('exec', (request, ack) => {
    execs.push(request);
    ack(answer(request));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await socket.timeout(5000).emitWithAck('hello', {
    nodeId: 'ws-042',
    hostname: 'ws-042.studio.lan',
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: ['comp'],
    plugins: [RENDER_MANIFEST],
    skipped: [{ name: 'resolve', reason: 'supports windows, darwin only; this node runs linux' }],
  });
  return {
    url,
    env: { OPENCLAW_SERVER: url, OPENCLAW_TOKEN: TOKEN },
    execs,
    close: async () => {
      socket.close();
      await server.close();
    },
  };
}

function answer(request: ExecRequest): ExecAck {
  if (request.params.script === '/fail') {
    return {
      ok: false,
      error: {
        code: 'PATH_NOT_FOUND',
        message: 'No such script: /fail',
        details: { field: 'params.script' },
      },
    };
  }
  return { ok: true, result: { received: request.params } };
}
