import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@openclaw-node/agent';
/** The lean workstation package bundles the agent and ships the same bin. */
const PACKAGES_WITH_THE_BIN = new Set([PACKAGE_NAME, '@openclaw-node/workstation']);
const BIN_NAME = 'openclaw-agent';

/**
 * The absolute path of the agent bin (`openclaw-agent`: bin/openclaw-agent.js, which starts dist/bin.js) that a service should run,
 * found from this module's own package (@openclaw-node/agent, or @openclaw-node/workstation that
 * bundles it), whether it runs from src/, from the built dist/ or from the workstation bundle.
 */
export async function findAgentEntry(from: string = import.meta.url): Promise<string> {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    const manifest = await readPackageJson(path.join(dir, 'package.json'));
    if (manifest?.name !== undefined && PACKAGES_WITH_THE_BIN.has(manifest.name)) {
      const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[BIN_NAME];
      if (typeof bin !== 'string') throw new Error(`${manifest.name} declares no ${BIN_NAME} bin`);
      return path.resolve(dir, bin);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${from}`);
    dir = parent;
  }
}

interface PackageJson {
  name?: string;
  bin?: string | Record<string, string>;
}

async function readPackageJson(file: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}
