import { validateManifest, type PluginManifest } from '@openclaw-node/core';

/** Plugin versions remembered, and variants of one version (a plugin edited in place). */
const MAX_VERSIONS = 512;
const MAX_VARIANTS = 8;

const remembered = new Map<string, PluginManifest[]>();

/**
 * validateManifest, remembered. Every agent of a studio advertises the same few manifests, so a hello
 * (10,000 of them in a reconnect storm) is compared with the valid manifests already seen under that
 * name and version, and validated only when none is equal; every session then holds the same object
 * instead of its own copy. Only valid manifests are remembered, and an equal one validates the same.
 */
export function validateManifestOnce(value: unknown): PluginManifest {
  const key = versionKey(value);
  const variants = key === undefined ? undefined : remembered.get(key);
  for (const known of variants ?? []) if (sameJson(known, value)) return known;
  const manifest = validateManifest(value);
  if (key !== undefined) {
    const list = variants ?? [];
    list.unshift(manifest);
    list.length = Math.min(list.length, MAX_VARIANTS);
    remembered.set(key, list);
    if (remembered.size > MAX_VERSIONS) remembered.delete(remembered.keys().next().value!);
  }
  return manifest;
}

function versionKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, version } = value as { name?: unknown; version?: unknown };
  return typeof name === 'string' && typeof version === 'string' ? `${name}@${version}` : undefined;
}

/**
 * Deep equality of JSON values, keys in any order. Walks no further than `known` (a valid manifest), so
 * a huge or deeply nested hostile value costs no more than the manifest it is compared with.
 */
function sameJson(known: unknown, value: unknown): boolean {
  if (known === value) return true;
  if (typeof known !== 'object' || typeof value !== 'object' || known === null || value === null)
    return false;
  // Plain loops: this walks every manifest of every hello (closures per level cost a third more).
  if (Array.isArray(known)) {
    if (!Array.isArray(value) || value.length !== known.length) return false;
    for (let i = 0; i < known.length; i++) if (!sameJson(known[i], value[i])) return false;
    return true;
  }
  if (Array.isArray(value)) return false;
  const keys = Object.keys(known);
  const other = value as Record<string, unknown>;
  if (keys.length !== Object.keys(other).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(other, key) || !sameJson((known as Record<string, unknown>)[key], other[key]))
      return false;
  }
  return true;
}
