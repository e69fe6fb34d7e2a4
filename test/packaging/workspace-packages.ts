import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A package.json, as far as these tests read it. */
export interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  private?: boolean;
  type?: string;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  main?: string;
  types?: string;
  files?: string[];
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** One npm workspace of the repository. */
export interface WorkspacePackage {
  /** `packages/agent` */
  dir: string;
  manifest: PackageJson;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * Every workspace listed in the root package.json that is published, in its order: the private ones
 * (@openclaw-node/test-support) are never packed.
 */
export function listWorkspacePackages(): WorkspacePackage[] {
  const root = readJson<{ workspaces: string[] }>(path.join(repoRoot, 'package.json'));
  return root.workspaces
    .map((dir) => ({ dir, manifest: readJson<PackageJson>(path.join(repoRoot, dir, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/**
 * The environment for a child npm or node outside the workspace: this process's, minus what an
 * enclosing `npm test` sets (npm_config_* would carry the workspace's settings along), but keeping
 * where the npm cache and registry are.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase()),
    ),
  );
  return { ...env, ...extra };
}

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dev?: boolean;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The registry URL of a locked tarball. The workspace lock may omit it (omit-lockfile-registry-resolved),
 * and without it npm asks for registry metadata; with it and the integrity, the npm cache answers.
 */
function withResolved(at: string, entry: LockEntry): LockEntry {
  if (entry.resolved || !entry.version || !entry.integrity) return entry;
  const name = typeof entry.name === 'string' ? entry.name : at.slice(at.lastIndexOf('node_modules/') + 13);
  const file = `${name.split('/').pop()}-${entry.version}.tgz`;
  return { ...entry, resolved: `https://registry.npmjs.org/${name}/-/${file}` };
}

/** A package to install from a tarball: its name, `file:` spec and manifest. */
export interface TarballPackage {
  name: string;
  /** `file:tarballs/openclaw-node-cli-0.1.0.tgz`, relative to the install folder. */
  spec: string;
  manifest: PackageJson;
}

/**
 * package.json and package-lock.json for an empty folder that installs `tarballs`, with every
 * third-party package pinned to what the workspace lock resolved. `npm ci --offline` then needs
 * only tarballs the workspace's own `npm ci` already put in the npm cache (no registry metadata,
 * which `npm ci` never fetches).
 */
export function offlineInstallFiles(tarballs: readonly TarballPackage[]): {
  packageJson: Record<string, unknown>;
  lockfile: Record<string, unknown>;
} {
  const workspaceLock = readJson<{ packages: Record<string, LockEntry> }>(
    path.join(repoRoot, 'package-lock.json'),
  );
  const names = new Map(listWorkspacePackages().map((p) => [p.dir, p.manifest.name]));
  const dependencies = Object.fromEntries(tarballs.map((t) => [t.name, t.spec]));
  const root = { name: 'openclaw-packaging-check', version: '0.0.0', private: true, dependencies };
  const packages: Record<string, unknown> = { '': root };
  for (const [key, entry] of Object.entries(workspaceLock.packages)) {
    if (key === '' || entry.link) continue;
    // Dev-only packages stay in: the tree keeps the workspace's shape, so npm places nothing anew.
    const nested = /^(packages\/[^/]+)\/(node_modules\/.+)$/.exec(key);
    const at = nested ? `node_modules/${names.get(nested[1]!)}/${nested[2]}` : key;
    if (at.startsWith('node_modules/')) packages[at] = withResolved(at, entry);
  }
  for (const tarball of tarballs) {
    const m = tarball.manifest;
    packages[`node_modules/${tarball.name}`] = {
      version: m.version,
      resolved: tarball.spec,
      ...(m.license ? { license: m.license } : {}),
      ...(m.dependencies ? { dependencies: m.dependencies } : {}),
      ...(m.optionalDependencies ? { optionalDependencies: m.optionalDependencies } : {}),
      ...(m.peerDependencies ? { peerDependencies: m.peerDependencies } : {}),
      ...(m.bin ? { bin: m.bin } : {}),
      ...(m.engines ? { engines: m.engines } : {}),
    };
  }
  // In npm's own order, a package before what is nested in it: listed the other way round, npm
  // resolves a nested dependency to the hoisted copy (core's ajv@8 got json-schema-traverse@0.4)
  // and then asks the registry for metadata the cache does not have (ENOTCACHED).
  const sorted = Object.fromEntries(
    Object.keys(packages)
      .sort((a, b) => a.localeCompare(b, 'en'))
      .map((key) => [key, packages[key]]),
  );
  return {
    packageJson: root,
    lockfile: {
      name: root.name,
      version: root.version,
      lockfileVersion: 3,
      requires: true,
      packages: sorted,
    },
  };
}
