import { ChurnMap } from '../memory/churn-map.js';

/**
 * socket.io keeps a socket's pending acks in a Map (`socket.acks`): an entry for each exec sent to the
 * agent, deleted when it answers. On a long-lived connection that Map sits in the old generation,
 * where each of its rehashed tables keeps the ack callbacks it held (and the jobs they close over)
 * alive until the next full collection (see ChurnMap). socket.io 4 only calls `set`, `get` and
 * `delete` on it. Should a later version keep something else there, the socket is left as it is.
 */
export function keepAcksYoung(socket: object): void {
  const holder = socket as { acks?: unknown };
  if (holder.acks instanceof Map && holder.acks.size === 0) holder.acks = new ChurnMap();
}
