import { importPlugin } from './import-plugin.js';
import { classifyPluginEntry, describeInvalidEntry } from './plugin-entry.js';
import type { PluginSource } from './plugin-source.js';

/**
 * `plugins:` entries that are absolute paths: a plugin package folder (its package.json `exports`,
 * else `main`) or a module file (`.js`, or `.ts` when tsx is installed).
 * @example plugins: [/opt/studio/openclaw-plugin-houdini, /opt/studio/quick-plugin.js]
 */
export function createPathSource(): PluginSource {
  return {
    label: 'plugin paths',
    async resolve(entry) {
      if (classifyPluginEntry(entry) !== 'path') return undefined;
      return importPlugin(entry);
    },
    known: () => [],
    explainMiss: (entry) =>
      classifyPluginEntry(entry) === 'invalid' ? describeInvalidEntry(entry) : undefined,
  };
}
