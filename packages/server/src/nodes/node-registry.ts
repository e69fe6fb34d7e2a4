import { sameHealth, type PluginHealth } from '@openclaw-node/core';
import { availabilityOf, type Availability } from './health/availability.js';
import type { NodeSession } from './node-session.js';

export type { AdvertisedPlugin, AgentConnection, NodeSession } from './node-session.js';

type ChangeListener = (event: { type: 'register' | 'unregister' | 'health'; session: NodeSession }) => void;

/** The connected nodes by id. A node counts as connected only once its hello was accepted. */
export class NodeRegistry {
  readonly #nodes = new Map<string, NodeSession>();
  readonly #listeners = new Set<ChangeListener>();
  /** list()'s order, kept until a node comes or goes: sorting 10,000 ids per request shows. */
  #sorted: NodeSession[] | undefined;

  /** Add or replace a node; returns the session it replaced, if any (the caller retires it). */
  register(session: NodeSession): NodeSession | undefined {
    const previous = this.#nodes.get(session.nodeId);
    this.#nodes.set(session.nodeId, session);
    this.#sorted = undefined;
    if (previous) this.#emit({ type: 'unregister', session: previous });
    this.#emit({ type: 'register', session });
    return previous && previous.connection.id !== session.connection.id ? previous : undefined;
  }

  /** Remove a node, but only if `connectionId` is still its current connection. */
  unregister(nodeId: string, connectionId: string): NodeSession | undefined {
    const current = this.#nodes.get(nodeId);
    if (!current || current.connection.id !== connectionId) return undefined;
    this.#nodes.delete(nodeId);
    this.#sorted = undefined;
    this.#emit({ type: 'unregister', session: current });
    return current;
  }

  get(nodeId: string): NodeSession | undefined {
    return this.#nodes.get(nodeId);
  }

  /** Record traffic from a connection (any packet, pongs included). */
  touch(nodeId: string, connectionId: string, at = new Date()): void {
    const current = this.#nodes.get(nodeId);
    if (current && current.connection.id === connectionId) current.lastSeenAt = at;
  }

  /** Replace a node's capability health (from `node:health`); true when it changed (listeners hear `health`). */
  setHealth(nodeId: string, connectionId: string, health: PluginHealth[]): boolean {
    const current = this.#nodes.get(nodeId);
    if (!current || current.connection.id !== connectionId) return false;
    if (current.health && sameHealth(current.health, health)) {
      current.health = health;
      return false;
    }
    current.health = health;
    this.#emit({ type: 'health', session: current });
    return true;
  }

  /** Whether `plugin.action` can run on a node as far as its advertised plugins and health say; never blocks anything by itself. */
  availability(nodeId: string, plugin: string, action: string): Availability {
    return availabilityOf(this.#nodes.get(nodeId), nodeId, plugin, action);
  }

  /** Every node, sorted by id. */
  list(): NodeSession[] {
    this.#sorted ??= [...this.#nodes.values()].sort((a, b) =>
      a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0,
    );
    return [...this.#sorted];
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** Called after every register/unregister and health change (catalog invalidation). */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: Parameters<ChangeListener>[0]): void {
    for (const listener of this.#listeners) listener(event);
  }
}
