import { isAbsolutePathValue } from '@openclaw-node/core';

/** What a `plugins:` entry is: a name (built-in or npm package), an absolute path, or neither. */
export type PluginEntryKind = 'package' | 'path' | 'invalid';

// npm's rules (validate-npm-package-name), case-insensitive because older packages have capitals.
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/** True for `rv`, `openclaw-plugin-houdini`, `@studio/openclaw-plugin-houdini`. */
export function isPackageName(entry: string): boolean {
  return entry.length <= 214 && PACKAGE_NAME.test(entry);
}

/** Sort an entry: a package-style name (built-ins are too), an absolute path, or invalid. */
export function classifyPluginEntry(entry: string): PluginEntryKind {
  if (isPackageName(entry)) return 'package';
  if (isAbsolutePathValue(entry)) return 'path';
  return 'invalid';
}

/** Why an invalid entry cannot name a plugin, with the fix. */
export function describeInvalidEntry(entry: string): string {
  if (/^\.{1,2}(?:[/\\]|$)|^~/.test(entry)) {
    return `"${entry}" is a relative path: write the plugin's folder or file as an absolute path`;
  }
  return `"${entry}" is neither a plugin name, an npm package name (e.g. @studio/openclaw-plugin-houdini) nor an absolute path`;
}
