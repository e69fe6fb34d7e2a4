import { OpenClawError, PROTOCOL_VERSION, toErrorPayload } from '@openclaw-node/core';
import type { ExtendedError } from 'socket.io';
import type { Logger } from 'pino';
import type { AuthProvider } from '../auth/auth-provider.js';
import { authenticate } from '../auth/bearer.js';
import { isNodeId } from './node-id.js';
import type { AgentSocket } from './types.js';

/**
 * Namespace middleware: accept a connection only with a valid agent token, our protocol version and a
 * well-formed node id. A rejection reaches the agent as `connect_error` with `err.data = { code, message }`.
 */
export function handshakeMiddleware(auth: AuthProvider, logger: Logger) {
  return (socket: AgentSocket, next: (err?: ExtendedError) => void): void => {
    checkHandshake(socket, auth).then(
      () => next(),
      (error: unknown) => {
        const payload = toErrorPayload(error);
        logger.warn({ address: socket.handshake.address, code: payload.code }, 'agent handshake rejected');
        const rejection: ExtendedError = new Error(payload.message);
        rejection.data = payload;
        next(rejection);
      },
    );
  };
}

async function checkHandshake(socket: AgentSocket, auth: AuthProvider): Promise<void> {
  const raw: unknown = socket.handshake.auth;
  const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (typeof given.token !== 'string' || given.token === '') {
    throw new OpenClawError(
      'AUTH_REQUIRED',
      'The agent must send a token in the handshake auth (auth_token in its config)',
      {
        details: { field: 'auth.token' },
      },
    );
  }
  const principal = await authenticate(auth, given.token, 'agent');
  if (given.protocol !== PROTOCOL_VERSION) {
    throw new OpenClawError(
      'PROTOCOL_UNSUPPORTED',
      `The server speaks agent protocol ${PROTOCOL_VERSION}, the agent sent ${JSON.stringify(given.protocol) ?? 'none'}; upgrade the older side`,
      { details: { field: 'auth.protocol', expected: PROTOCOL_VERSION } },
    );
  }
  if (!isNodeId(given.nodeId)) {
    throw new OpenClawError(
      'INVALID_BODY',
      'auth.nodeId must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
      { details: { field: 'auth.nodeId' } },
    );
  }
  socket.data = { nodeId: given.nodeId, principal };
}
