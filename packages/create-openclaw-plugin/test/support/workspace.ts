import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import tsupConfig from '../../../../tsup.config.js';

/** The monorepo root. */
export const REPO_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../../../..');
/** The repo's node_modules: the generated package borrows it instead of installing from the network. */
export const REPO_NODE_MODULES = path.join(REPO_ROOT, 'node_modules');
export const TSX_CLI = path.join(REPO_NODE_MODULES, 'tsx', 'dist', 'cli.mjs');

const SDK_PACKAGES = {
  core: ['dist/index.js', 'dist/index.d.ts'],
  'plugin-sdk': ['dist/index.js', 'dist/index.d.ts', 'dist/testing.js', 'dist/testing.d.ts'],
};

/**
 * Make sure core and plugin-sdk have a dist/ at least as new as their sources: a generated plugin
 * imports them the way a published package would (the `import` condition, not the sources).
 * `npm test` builds first, so this only builds when run on its own after a source change.
 */
export async function ensureSdkBuilt(): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, outputs] of Object.entries(SDK_PACKAGES)) {
    const dir = path.join(REPO_ROOT, 'packages', name);
    const newestSource = await newestMtime(path.join(dir, 'src'));
    const built = await Promise.all(
      outputs.map((file) =>
        stat(path.join(dir, file)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (Math.min(...built) < newestSource) stale.push(name);
  }
  if (stale.length === 0) return [];
  const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as Options[];
  for (const name of stale) {
    const options = configs.find((c) => c.name === name);
    if (!options) throw new Error(`tsup.config.ts has no entry named ${name}`);
    const absolute = (p: string): string => path.join(REPO_ROOT, p);
    await build({
      ...options,
      entry: (options.entry as string[]).map(absolute),
      outDir: absolute(options.outDir!),
      tsconfig: absolute(options.tsconfig!),
      // Others may be reading dist/ right now: overwrite, never delete.
      clean: false,
      config: false,
    });
  }
  return stale;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const { mtimeMs } = await stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, mtimeMs);
  }
  return newest;
}
