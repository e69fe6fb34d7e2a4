import {
  AGENT_NAMESPACE,
  PROTOCOL_VERSION,
  type AgentToServerEvents,
  type HandshakeAuth,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import { io, type Socket } from 'socket.io-client';
import { describeRefusal } from '../connection/handshake-errors.js';
import { parseServerUrl } from '../connection/server-url.js';
import { loadProbeTrust, tlsProblem } from './probe-trust.js';

/** Whether the server accepted this node's token at the Socket.IO handshake, and how fast. */
export type HandshakeProbe =
  | { ok: true; endpoint: string; latencyMs: number }
  | {
      ok: false;
      endpoint: string;
      /**
       * The server's refusal (AUTH_INVALID, FORBIDDEN…), or SERVER_UNREACHABLE / REQUEST_TIMEOUT, TLS_UNTRUSTED
       * (the server's certificate), CONFIG_INVALID (the `ca:` file cannot be used).
       */
      code: string;
      message: string;
      /** True when the server itself refused (as opposed to never being reached). */
      refused: boolean;
    };

export interface ProbeHandshakeOptions {
  serverUrl: string;
  token: string;
  nodeId: string;
  /** The agent's `ca:` file: trusted besides the system's CAs, as the agent's connection does. */
  ca?: string | undefined;
  /** Default 5 s. */
  timeoutMs?: number;
}

/**
 * Open the agent's real Socket.IO connection (namespace /agent, websocket, the handshake auth the agent
 * sends) and close it as soon as the server accepts or refuses it. It never sends `hello`, so a
 * running agent with the same node id is not replaced.
 * @example const probe = await probeHandshake({ serverUrl, token, nodeId: 'ws-042' })
 */
export async function probeHandshake(options: ProbeHandshakeOptions): Promise<HandshakeProbe> {
  const endpoint = parseServerUrl(options.serverUrl, 'server_url');
  const shown = `${endpoint.origin}${endpoint.path} (namespace ${AGENT_NAMESPACE})`;
  const timeoutMs = options.timeoutMs ?? 5000;
  const trust = loadProbeTrust(options.ca);
  if (!trust.ok) {
    return { ok: false, endpoint: shown, code: 'CONFIG_INVALID', refused: false, message: trust.message };
  }
  const auth: HandshakeAuth = { token: options.token, nodeId: options.nodeId, protocol: PROTOCOL_VERSION };
  const socket: Socket<ServerToAgentEvents, AgentToServerEvents> = io(
    `${endpoint.origin}${AGENT_NAMESPACE}`,
    {
      path: endpoint.path,
      transports: ['websocket'],
      auth,
      reconnection: false,
      forceNew: true,
      autoConnect: false,
      timeout: timeoutMs,
      ...(trust.ca ? { ca: trust.ca } : {}),
    },
  );
  const started = performance.now();
  return new Promise<HandshakeProbe>((resolve) => {
    const finish = (result: HandshakeProbe) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.disconnect();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          endpoint: shown,
          code: 'REQUEST_TIMEOUT',
          refused: false,
          message: `the server did not complete the Socket.IO handshake within ${timeoutMs} ms at ${shown}`,
        }),
      timeoutMs,
    );
    socket.on('connect', () =>
      finish({ ok: true, endpoint: shown, latencyMs: Math.round(performance.now() - started) }),
    );
    socket.on('connect_error', (error: Error & { data?: unknown; description?: unknown }) => {
      const data = (typeof error.data === 'object' && error.data !== null ? error.data : {}) as {
        code?: unknown;
        message?: unknown;
      };
      if (typeof data.code === 'string') {
        const said = typeof data.message === 'string' ? data.message : error.message;
        finish({
          ok: false,
          endpoint: shown,
          code: data.code,
          refused: true,
          message: describeRefusal(data.code, said, options.nodeId),
        });
        return;
      }
      const tls = tlsProblem(error, options.ca);
      finish({
        ok: false,
        endpoint: shown,
        code: tls ? 'TLS_UNTRUSTED' : 'SERVER_UNREACHABLE',
        refused: false,
        message: `cannot open the agent connection to ${shown}: ${tls ?? transportReason(error)}`,
      });
    });
    socket.connect();
  });
}

function transportReason(error: Error & { description?: unknown }): string {
  const description = error.description as { message?: unknown } | string | undefined;
  const detail =
    typeof description === 'string'
      ? description
      : typeof description?.message === 'string'
        ? description.message
        : undefined;
  // engine.io hangs up on an upgrade for a path it does not serve; other servers answer 400 or 404.
  if (detail && /Unexpected server response: (400|404)|socket hang up/.test(detail)) {
    return `${detail}: something answers there, but not the OpenClaw Socket.IO endpoint; check the path of server_url (the server's default is /ws)`;
  }
  return detail ?? error.message;
}
