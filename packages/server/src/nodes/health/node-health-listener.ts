import type { Logger } from 'pino';
import type { NodeRegistry } from '../node-registry.js';
import { parseHealthList } from './parse-health.js';

export interface NodeHealthListenerOptions {
  registry: NodeRegistry;
  nodeId: string;
  connectionId: string;
  logger: Logger;
}

/**
 * The handler of one connection's `node:health` events: a malformed event is dropped (and logged),
 * a valid one replaces the node's health — only once its hello was accepted on this connection.
 */
export function nodeHealthListener(options: NodeHealthListenerOptions): (event: unknown) => void {
  const { registry, nodeId, connectionId, logger } = options;
  return (event: unknown) => {
    let health;
    try {
      const body = typeof event === 'object' && event !== null ? (event as { health?: unknown }) : {};
      health = parseHealthList(body.health, 'node:health.health');
    } catch (error) {
      logger.warn({ reason: (error as Error).message }, 'dropped a malformed node:health event');
      return;
    }
    const changed = registry.setHealth(nodeId, connectionId, health);
    if (changed) {
      const unavailable = health.filter((h) => !h.available).map((h) => h.plugin);
      logger.info({ unavailable }, 'node capability health changed');
    }
  };
}
