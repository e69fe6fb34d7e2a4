import { MANIFEST_LIMITS, validateManifest, type PluginManifest } from '@openclaw-node/core';

/** Distinct valid manifests remembered; a studio runs a handful of plugin versions. */
const LIMIT = 512;

/**
 * validateManifest, remembered by the manifest's JSON text. Every agent of a studio advertises the same
 * few manifests, so a hello (10,000 of them in a reconnect storm) validates each distinct one once, and
 * every session holds the same object instead of its own copy. Equal JSON text is equal content, so the
 * answer cannot differ; only valid manifests are remembered; the oldest is forgotten past the limit.
 */
export function validateManifestOnce(value: unknown): PluginManifest {
  const json = JSON.stringify(value ?? null);
  if (json.length > MANIFEST_LIMITS.maxManifestBytes) return validateManifest(value);
  const known = remembered.get(json);
  if (known) return known;
  const manifest = validateManifest(value);
  remembered.set(json, manifest);
  if (remembered.size > LIMIT) remembered.delete(remembered.keys().next().value!);
  return manifest;
}

const remembered = new Map<string, PluginManifest>();
