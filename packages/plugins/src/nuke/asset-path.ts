import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** The Python script `get_info` runs inside Nuke, relative to the package's `assets` folder. */
export const GET_INFO_ASSET = 'nuke/nuke_get_info.py';

const MAX_LEVELS = 6;

/**
 * Find a file shipped in the package's `assets` folder by walking up from this module: the source
 * lives at `src/nuke/*.ts`, the bundle at `dist/index.js`, and both sit below the package root.
 * @example resolveAsset('nuke/nuke_get_info.py') // '/…/packages/plugins/assets/nuke/nuke_get_info.py'
 */
export function resolveAsset(relative: string, from: string | URL = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  const tried: string[] = [];
  for (let level = 0; level < MAX_LEVELS; level++) {
    const candidate = path.join(dir, 'assets', ...relative.split('/'));
    tried.push(candidate);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new OpenClawError('PLUGIN_LOAD_FAILED', `The nuke plugin's ${relative} is missing from its package`, {
    details: { asset: relative, searched: tried },
  });
}
