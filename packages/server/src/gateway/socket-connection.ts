import type { AgentConnection } from '../nodes/node-registry.js';
import type { AgentSocket } from './types.js';

/**
 * An AgentConnection over one Socket.IO socket. Deadlines are the caller's own timers rather than
 * `socket.timeout()`, whose timer survives a disconnect and would keep a closing server alive.
 */
export function createSocketConnection(socket: AgentSocket): AgentConnection {
  return {
    id: socket.id,
    sendExec(request, onAck) {
      let waiting = true;
      socket.emit('exec', request, (ack: unknown) => {
        if (!waiting) return;
        waiting = false;
        // Socket.IO hands events to listeners a tick later than acks (process.nextTick, queued as
        // each packet is parsed): queued the same way, the ack comes after the job:progress the
        // agent sent just before it, and still in this turn (no extra loop iteration per exec).
        process.nextTick(onAck, ack);
      });
      return () => {
        waiting = false;
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
