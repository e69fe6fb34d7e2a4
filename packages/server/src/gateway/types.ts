import type { AgentToServerEvents, ServerToAgentEvents } from '@openclaw-node/core';
import type { DefaultEventsMap, Namespace, Server, Socket } from 'socket.io';
import type { Principal } from '../security/auth/auth-provider.js';

/** What the handshake established about an agent connection. */
export interface AgentSocketData {
  nodeId: string;
  principal: Principal;
}

export type AgentServer = Server<AgentToServerEvents, ServerToAgentEvents, DefaultEventsMap, AgentSocketData>;
export type AgentNamespace = Namespace<
  AgentToServerEvents,
  ServerToAgentEvents,
  DefaultEventsMap,
  AgentSocketData
>;
export type AgentSocket = Socket<AgentToServerEvents, ServerToAgentEvents, DefaultEventsMap, AgentSocketData>;

/** What the gateway reports as it answers agents (the metrics listen). */
export interface GatewayObserver {
  /** `ok`, or the code the hello was refused with. */
  hello(outcome: string): void;
  /** A handshake refused before the connection was accepted. */
  handshakeRefused(code: string): void;
}
