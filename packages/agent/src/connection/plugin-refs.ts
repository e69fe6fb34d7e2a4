import { createHash } from 'node:crypto';
import {
  MANIFEST_REF_PATTERN,
  stableStringify,
  type HelloByRefPayload,
  type HelloPayload,
  type PluginManifest,
} from '@openclaw-node/core';

const REF = new RegExp(MANIFEST_REF_PATTERN);
/** Refs computed, by manifest object (shared by every PluginRefs of the process: manifests are not edited). */
const computed = new WeakMap<PluginManifest, string>();

/**
 * How this agent names its plugin manifests in `hello` (HelloPayload.pluginRefs): by ref, 71 bytes each
 * instead of the manifest (34 KB for the five built-in plugins), which a server that has seen them
 * (from any agent) takes; one that has not answers MANIFEST_UNKNOWN and gets them in full. The refs are
 * the ones the server's last accepted hello gave, else computed as the server computes them. A server
 * that refuses a hello by ref for its shape (an older server) gets full hellos from then on.
 */
export class PluginRefs {
  /** By plugin name, from the server's last accepted hello. */
  #learned: Record<string, string> = {};
  #off = false;

  /** Whether to send `hello` by ref. */
  usable(hello: HelloPayload): boolean {
    return !this.#off && hello.plugins.length > 0;
  }

  /** `hello` with its manifests named by ref (no `plugins` field: see HelloPayload.pluginRefs). */
  byRef(hello: HelloPayload): HelloByRefPayload {
    const { plugins, pluginRefs: _none, ...rest } = hello;
    return { ...rest, pluginRefs: plugins.map((manifest) => this.#refOf(manifest)) };
  }

  /** The server refused a hello by ref as malformed: it does not take refs. */
  refused(): void {
    this.#off = true;
  }

  /** An accepted hello's refs (servers that take refs send them). */
  learn(refs: Record<string, string> | undefined): void {
    if (refs && typeof refs === 'object') this.#learned = refs;
  }

  #refOf(manifest: PluginManifest): string {
    // The agent's manifests do not change while it runs: the server's ref for a name is this one's.
    const learned = Object.hasOwn(this.#learned, manifest.name) ? this.#learned[manifest.name] : undefined;
    if (typeof learned === 'string' && REF.test(learned)) return learned;
    let ref = computed.get(manifest);
    if (ref === undefined) {
      ref = `sha256:${createHash('sha256').update(stableStringify(manifest)).digest('hex')}`;
      computed.set(manifest, ref);
    }
    return ref;
  }
}
