import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

const ASSET = path.join('assets', 'resolve', 'resolve_bridge.py');
const MAX_LEVELS = 6;

/**
 * The bundled bridge script. It ships in the package's `assets/` folder, found by walking up from
 * this module: `src/resolve/` in a source checkout, `dist/` once tsup has bundled everything.
 */
export function locateBridgeScript(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  const looked: string[] = [];
  for (let level = 0; level < MAX_LEVELS; level += 1) {
    const candidate = path.join(dir, ASSET);
    looked.push(candidate);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new OpenClawError(
    'RESOLVE_BRIDGE_FAILED',
    `The Resolve bridge script is missing from the package; looked in: ${looked.join(', ')}`,
    {
      details: { searched: looked },
    },
  );
}
