import { OpenClawError, PROTOCOL_VERSION, isOpenClawError, toErrorPayload } from '@openclaw-node/core';
import type { ExtendedError } from 'socket.io';
import type { Logger } from 'pino';
import type { AuthProvider, Principal } from '../security/auth/auth-provider.js';
import { assertCanConnectAs } from '../security/auth/permissions.js';
import type { AuthAttempt } from '../security/auth-guard.js';
import type { AgentGuard } from '../security/agent-guard.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { assertMayHoldNode } from './node-claim.js';
import { isNodeId } from './node-id.js';
import type { GatewayObserver } from './types.js';
import type { AgentSocket } from './types.js';

/**
 * Namespace middleware: accept a connection only from an address not over its failed-auth budget,
 * with a valid token that has the agent role and covers the node id, our protocol version and a
 * well-formed node id. A rejection reaches the agent as `connect_error` with `err.data = { code, message }`.
 */
export function handshakeMiddleware(
  auth: AuthProvider,
  logger: Logger,
  guard?: AgentGuard,
  registry?: Pick<NodeRegistry, 'get'>,
  observer?: Pick<GatewayObserver, 'handshakeRefused'>,
) {
  return (socket: AgentSocket, next: (err?: ExtendedError) => void): void => {
    const address = guard ? guard.addressOf(socket) : socket.handshake.address;
    const attempt: AuthAttempt = { address, channel: 'agent' };
    checkHandshake(socket, auth, attempt, guard, registry).then(
      () => next(),
      async (error: unknown) => {
        const payload = toErrorPayload(error);
        logger.warn({ address, node_id: attempt.node_id, code: payload.code }, 'agent handshake rejected');
        observer?.handshakeRefused(payload.code);
        try {
          await guard?.refused(attempt, error);
        } catch (cause) {
          logger.error({ err: cause }, 'cannot record a refused agent handshake');
        }
        const rejection: ExtendedError = new Error(payload.message);
        rejection.data = payload;
        next(rejection);
      },
    );
  };
}

async function checkHandshake(
  socket: AgentSocket,
  auth: AuthProvider,
  attempt: AuthAttempt,
  guard: AgentGuard | undefined,
  registry: Pick<NodeRegistry, 'get'> | undefined,
): Promise<void> {
  await guard?.auth.assertNotLimited(attempt);
  const raw: unknown = socket.handshake.auth;
  const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (isNodeId(given.nodeId)) attempt.node_id = given.nodeId;
  if (typeof given.token !== 'string' || given.token === '') {
    throw new OpenClawError(
      'AUTH_REQUIRED',
      'The agent must send a token in the handshake auth (auth_token in its config)',
      { details: { field: 'auth.token' } },
    );
  }
  const principal = await authenticateAgent(auth, given.token);
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
  assertCanConnectAs(principal, given.nodeId);
  assertMayHoldNode(registry?.get(given.nodeId), socket.id, principal);
  socket.data = { nodeId: given.nodeId, principal };
  guard?.accepted(socket, given.token, principal, attempt.address);
}

async function authenticateAgent(auth: AuthProvider, token: string): Promise<Principal> {
  let principal: Principal | null;
  try {
    principal = await auth.authenticate(token);
  } catch (error) {
    if (isOpenClawError(error)) throw error;
    throw new OpenClawError('AUTH_INVALID', 'The token could not be verified', { cause: error });
  }
  if (!principal) throw new OpenClawError('AUTH_INVALID', 'The token is not valid');
  return principal;
}
