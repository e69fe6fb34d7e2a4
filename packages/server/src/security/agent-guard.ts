import { isOpenClawError, toErrorPayload } from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import type { AuthProvider, Principal } from './auth/auth-provider.js';
import { assertCanConnectAs } from './auth/permissions.js';
import type { AgentNamespace, AgentSocket } from '../gateway/types.js';
import { AUTH_FAILURE_CODES, type AuthAttempt, type AuthGuard } from './auth-guard.js';
import { clientAddress, type TrustProxy } from './client-address.js';
import { createAgentFloodControl, type AgentFloodOptions } from './agent-flood-control.js';

export interface AgentGuardOptions extends AgentFloodOptions {
  auth: AuthGuard;
  audit: AuditLog;
  logger: Logger;
  trustProxy: TrustProxy;
  /** Re-checks tokens after a tokens-file reload (the static token provider, not the JWT one). */
  tokens?: AuthProvider;
}

/** Handshake limits, audit, revocation and flood control for agent connections. */
export interface AgentGuard {
  /** The agent's address (X-Forwarded-For of the upgrade request when trustProxy is set). */
  addressOf(socket: AgentSocket): string;
  readonly auth: AuthGuard;
  /** A handshake was accepted: remember the credential for re-checks and audit the connection. */
  accepted(socket: AgentSocket, credential: string, principal: Principal, address: string): void;
  /** A handshake was refused: count it when it was a failed authentication, audit it either way. */
  refused(attempt: AuthAttempt, error: unknown): Promise<void>;
  /** Log (at most once a minute per connection and kind) that an agent sent something it should not have. */
  misbehaved(socket: AgentSocket, kind: string, details?: Record<string, unknown>): void;
  /** Serve a namespace: track connections, install flood control, arm JWT expiry. */
  attach(namespace: AgentNamespace): void;
  /** Re-check every connected agent's token; drop those no longer accepted. Returns how many were dropped. */
  recheck(): Promise<number>;
  close(): void;
}

interface Tracked {
  socket: AgentSocket;
  credential: string;
  address: string;
  expiry?: NodeJS.Timeout;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const MISBEHAVIOUR_LOG_EVERY_MS = 60_000;

/** Build the agent guard. */
export function createAgentGuard(options: AgentGuardOptions): AgentGuard {
  const { audit, logger } = options;
  const pending = new WeakMap<AgentSocket, { credential: string; address: string }>();
  const tracked = new Map<string, Tracked>();
  const lastMisbehaviourLog = new Map<string, number>();
  const flood = createAgentFloodControl(options);

  const addressOf = (socket: AgentSocket): string =>
    clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], options.trustProxy);

  const revoke = (entry: Tracked, code: string, reason: string): void => {
    const { socket } = entry;
    const { nodeId, principal } = socket.data;
    clearTimeout(entry.expiry);
    tracked.delete(socket.id);
    logger.warn(
      { node_id: nodeId, token: principal.name, address: entry.address, code, reason },
      'agent disconnected: its token no longer allows it',
    );
    audit.record({
      event: 'agent.revoked',
      principal: principal.name,
      roles: principal.roles,
      address: entry.address,
      node_id: nodeId,
      outcome: code,
      reason,
    });
    socket.emit('session:revoked', { code, reason });
    socket.disconnect(true);
  };

  const armExpiry = (entry: Tracked, expiresAt: Date): void => {
    clearTimeout(entry.expiry);
    const delay = expiresAt.getTime() - Date.now();
    entry.expiry = setTimeout(
      () => {
        if (expiresAt.getTime() > Date.now()) armExpiry(entry, expiresAt);
        else revoke(entry, 'AUTH_INVALID', 'The token of this agent has expired');
      },
      Math.min(Math.max(0, delay), MAX_TIMER_MS),
    );
    entry.expiry.unref();
  };

  const guard: AgentGuard = {
    addressOf,
    auth: options.auth,
    accepted(socket, credential, principal, address) {
      pending.set(socket, { credential, address });
      audit.record({
        event: 'agent.connect',
        principal: principal.name,
        roles: principal.roles,
        ...(principal.via ? { via: principal.via } : {}),
        address,
        node_id: socket.data.nodeId,
        outcome: 'success',
      });
    },
    async refused(attempt, error) {
      const payload = toErrorPayload(error);
      if (AUTH_FAILURE_CODES.has(payload.code)) {
        await options.auth.recordFailure(attempt, error);
        return;
      }
      audit.record({
        event: 'agent.refused',
        ...attempt,
        outcome: payload.code,
        status: isOpenClawError(error) ? error.status : 500,
        reason: payload.message,
      });
    },
    misbehaved(socket, kind, details = {}) {
      const key = `${socket.id}:${kind}`;
      const last = lastMisbehaviourLog.get(key) ?? -Infinity;
      if (Date.now() - last < MISBEHAVIOUR_LOG_EVERY_MS) return;
      lastMisbehaviourLog.set(key, Date.now());
      if (lastMisbehaviourLog.size > 10_000)
        lastMisbehaviourLog.delete(lastMisbehaviourLog.keys().next().value!);
      const address = tracked.get(socket.id)?.address ?? addressOf(socket);
      logger.warn(
        { node_id: socket.data.nodeId, address, kind, ...details },
        `agent misbehaved: ${kind}; ignored`,
      );
    },
    attach(namespace) {
      namespace.on('connection', (socket) => {
        const known = pending.get(socket);
        pending.delete(socket);
        if (!known) return;
        const entry: Tracked = { socket, ...known };
        tracked.set(socket.id, entry);
        if (socket.data.principal.expiresAt) armExpiry(entry, socket.data.principal.expiresAt);
        flood.install(socket, {
          misbehaved: (kind, details) => guard.misbehaved(socket, kind, details),
          flooding: (dropped) => {
            logger.error(
              { node_id: socket.data.nodeId, address: entry.address, dropped },
              'agent is flooding the server: disconnecting it',
            );
            audit.record({
              event: 'agent.refused',
              principal: socket.data.principal.name,
              address: entry.address,
              node_id: socket.data.nodeId,
              outcome: 'RATE_LIMITED',
              reason: `flooding: ${dropped} events dropped within a minute`,
            });
            socket.disconnect(true);
          },
        });
        socket.on('disconnect', () => {
          clearTimeout(entry.expiry);
          tracked.delete(socket.id);
          for (const key of lastMisbehaviourLog.keys())
            if (key.startsWith(`${socket.id}:`)) lastMisbehaviourLog.delete(key);
        });
      });
    },
    async recheck() {
      const tokens = options.tokens;
      if (!tokens) return 0;
      let dropped = 0;
      for (const entry of [...tracked.values()]) {
        const { principal, nodeId } = entry.socket.data;
        if (principal.via !== 'token') continue;
        let next: Principal | null = null;
        try {
          next = await tokens.authenticate(entry.credential);
        } catch {
          next = null;
        }
        if (!tracked.has(entry.socket.id)) continue;
        if (!next) {
          revoke(entry, 'AUTH_INVALID', 'The token of this agent was revoked');
          dropped += 1;
          continue;
        }
        try {
          assertCanConnectAs(next, nodeId);
          entry.socket.data.principal = next;
        } catch (error) {
          revoke(
            entry,
            'FORBIDDEN',
            isOpenClawError(error) ? error.message : 'The token no longer allows this node id',
          );
          dropped += 1;
        }
      }
      return dropped;
    },
    close() {
      for (const entry of tracked.values()) clearTimeout(entry.expiry);
      tracked.clear();
    },
  };
  return guard;
}
