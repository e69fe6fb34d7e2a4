import { PROTOCOL_VERSION } from '@openclaw-node/core';
import { afterEach } from 'vitest';
import { helloFor, openAgentSocket, TOKEN, type AgentSocket } from '@openclaw-node/test-support/server';
import { hashManifest } from '../../src/nodes/plugin-catalog.js';

/** The ref of a manifest, as the server computes it (hashManifest) and the agent sends it. */
export function manifestRef(manifest: unknown): string {
  return `sha256:${hashManifest(manifest as Parameters<typeof hashManifest>[0])}`;
}

/** A hello that names its manifests by ref: no `plugins` field; `extra` may add or override fields. */
export function helloByRef(nodeId: string, refs: unknown, extra: Record<string, unknown> = {}): never {
  const { plugins: _sent, ...rest } = helloFor(nodeId);
  return { ...rest, pluginRefs: refs, ...extra } as never;
}

/** Agent sockets a test opens to `url()` (handshake passed, no hello yet), closed after the test. */
export function useAgentSockets(url: () => string): { connect: (nodeId: string) => Promise<AgentSocket> } {
  const sockets: AgentSocket[] = [];
  afterEach(() => {
    sockets.splice(0).forEach((s) => s.close());
  });
  return {
    connect: async (nodeId) => {
      const { socket, error } = await openAgentSocket(url(), {
        token: TOKEN,
        nodeId,
        protocol: PROTOCOL_VERSION,
      });
      sockets.push(socket);
      if (error) throw error;
      return socket;
    },
  };
}
