import { stat } from 'node:fs/promises';
import path from 'node:path';
import { importPlugin } from './import-plugin.js';
import { classifyPluginEntry } from './plugin-entry.js';
import type { PluginSource } from './plugin-source.js';

export interface PackageSourceOptions {
  /** Folders whose `node_modules`, and their parents' (Node's own lookup), are searched: the agent's install. */
  searchFrom: readonly string[];
  /** `plugin_dirs`: absolute folders holding `node_modules/<package>` or `<package>` folders. */
  pluginDirs: readonly string[];
}

/**
 * `plugins:` entries that are npm package names, found next to the agent's own install (so
 * `npm i -g` of a plugin beside a global agent works) and then in each of `plugin_dirs`.
 * @example createPackageSource({ searchFrom: [agentDir], pluginDirs: ['/opt/openclaw-plugins'] })
 */
export function createPackageSource(options: PackageSourceOptions): PluginSource {
  const folders = searchFolders(options);
  return {
    label: 'installed packages',
    async resolve(entry) {
      if (classifyPluginEntry(entry) !== 'package') return undefined;
      for (const folder of folders) {
        const dir = path.join(folder, ...entry.split('/'));
        if (await isPackageFolder(dir)) return importPlugin(dir);
      }
      return undefined;
    },
    known: () => [],
    explainMiss(entry) {
      if (classifyPluginEntry(entry) !== 'package') return undefined;
      const beside = options.searchFrom.map(
        (start) => `${path.join(path.resolve(start), 'node_modules')} and up`,
      );
      const dirs = options.pluginDirs.length > 0 ? options.pluginDirs.join(', ') : 'none set';
      return `no package "${entry}" is installed beside the agent (${beside.join(', ') || 'not searched'}) or in plugin_dirs (${dirs}): install it there, or add the folder that holds it to plugin_dirs`;
    },
  };
}

/** Every folder a package may sit in, in order, without repeats. */
function searchFolders(options: PackageSourceOptions): string[] {
  const folders = new Set<string>();
  for (const start of options.searchFrom) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (path.basename(dir) !== 'node_modules') folders.add(path.join(dir, 'node_modules'));
      if (path.dirname(dir) === dir) break;
    }
  }
  for (const dir of options.pluginDirs) {
    folders.add(path.join(dir, 'node_modules'));
    folders.add(path.resolve(dir));
  }
  return [...folders];
}

async function isPackageFolder(dir: string): Promise<boolean> {
  const info = await stat(path.join(dir, 'package.json')).catch(() => undefined);
  return info?.isFile() === true;
}
