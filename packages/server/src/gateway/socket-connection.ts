import type { AgentConnection } from '../node-registry.js';
import type { AgentSocket } from './types.js';

/**
 * An AgentConnection over one Socket.IO socket. The ack timeout is our own timer rather than
 * `socket.timeout()`, whose timer survives a disconnect and would keep a closing server alive.
 */
export function createSocketConnection(socket: AgentSocket): AgentConnection {
  return {
    id: socket.id,
    sendExec(request, ackTimeoutMs, onAck) {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        onAck(new Error(`no ack within ${ackTimeoutMs} ms`), undefined);
      }, ackTimeoutMs);
      socket.emit('exec', request, (ack: unknown) => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        onAck(null, ack);
      });
      return () => {
        waiting = false;
        clearTimeout(timer);
      };
    },
    sendCancel(jobId) {
      socket.emit('job:cancel', { jobId });
    },
    replace(reason) {
      socket.emit('session:replaced', { reason });
      socket.disconnect(true);
    },
  };
}
