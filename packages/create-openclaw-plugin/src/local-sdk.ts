import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SDK_PACKAGE_VERSION } from './sdk-version.js';

/** The SDK (and the core it pins) packed in the clone this scaffolder runs from. */
export interface LocalSdk {
  /** The clone's root. */
  clone: string;
  /** Absolute paths of the tarballs, or undefined when `npm run pack` has not written them. */
  tarballs: { sdk: string; core: string } | undefined;
}

/**
 * When this scaffolder runs from a clone of openclaw-node (packages/create-openclaw-plugin in a
 * workspace named openclaw-node), the SDK tarball `npm run pack` wrote into its tarballs/ folder.
 * Undefined outside a clone (an installed scaffolder): the SDK then comes from the registry.
 */
export function findLocalSdk(packageRoot: string): LocalSdk | undefined {
  const clone = path.resolve(packageRoot, '../..');
  let manifest: { name?: unknown; workspaces?: unknown };
  try {
    manifest = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  if (manifest.name !== 'openclaw-node' || !Array.isArray(manifest.workspaces)) return undefined;
  const tarball = (name: string) =>
    path.join(clone, 'tarballs', `openclaw-node-${name}-${SDK_PACKAGE_VERSION}.tgz`);
  const sdk = tarball('plugin-sdk');
  const core = tarball('core');
  return { clone, tarballs: existsSync(sdk) && existsSync(core) ? { sdk, core } : undefined };
}
