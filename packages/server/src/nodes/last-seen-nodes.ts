import type { NodeRegistry, NodeSession } from './node-registry.js';

/**
 * The last session of nodes that disconnected, so a job queued for a sleeping node can still be
 * checked against (and redacted by) the manifests it advertised. Bounded; oldest forgotten first.
 */
export class LastSeenNodes {
  readonly #sessions = new Map<string, NodeSession>();
  readonly #max: number;

  constructor(registry: NodeRegistry, max = 10_000) {
    this.#max = max;
    registry.onChange(({ type, session }) => {
      if (type !== 'unregister') return;
      this.#sessions.delete(session.nodeId);
      this.#sessions.set(session.nodeId, session);
      if (this.#sessions.size > this.#max) {
        const oldest = this.#sessions.keys().next().value;
        if (oldest !== undefined) this.#sessions.delete(oldest);
      }
    });
  }

  get(nodeId: string): NodeSession | undefined {
    return this.#sessions.get(nodeId);
  }
}
