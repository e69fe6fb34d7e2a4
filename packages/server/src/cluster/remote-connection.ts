import type { AgentConnection } from '../nodes/node-session.js';

/** The connection of a node that another server process holds. */
export interface RemoteConnection extends AgentConnection {
  readonly remote: true;
  /** The process holding the real socket. */
  readonly owner: string;
}

export function isRemoteConnection(connection: AgentConnection): connection is RemoteConnection {
  return (connection as Partial<RemoteConnection>).remote === true;
}

/** What a remote connection asks of the process that holds the socket. */
export interface RemoteConnectionPeer {
  cancel(owner: string, commandId: string): void;
  replace(owner: string, nodeId: string, connectionId: string, reason: string): void;
}

/**
 * A stand-in for a socket on another process. Jobs for it are started by the owner (see ClusterJobs),
 * never sent from here: sendExec answers with an error instead of pretending.
 */
export function createRemoteConnection(
  id: string,
  owner: string,
  nodeId: string,
  peer: RemoteConnectionPeer,
): RemoteConnection {
  return {
    remote: true,
    id,
    owner,
    sendExec(_request, onAck) {
      setImmediate(() =>
        onAck({
          ok: false,
          error: {
            code: 'INTERNAL_ERROR',
            message: `Node "${nodeId}" is held by server process ${owner}; its jobs start there`,
          },
        }),
      );
      return () => {};
    },
    sendCancel(jobId) {
      peer.cancel(owner, jobId);
    },
    replace(reason) {
      peer.replace(owner, nodeId, id, reason);
    },
  };
}
