import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'create-openclaw-plugin';

/**
 * This package's root, found by walking up to its package.json: the same from the sources, the
 * bundle in dist/ and an npx cache.
 */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readPackageJson(manifest)?.name === PACKAGE_NAME) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(
        `${PACKAGE_NAME}: its package.json was not found above ${from}; the package is incomplete`,
      );
    dir = parent;
  }
}

/** The `template/` folder shipped beside `dist/`. */
export function findTemplateDir(from?: string): string {
  const template = path.join(findPackageRoot(from), 'template');
  if (!existsSync(template))
    throw new Error(`${PACKAGE_NAME}: ${template} is missing; the package is incomplete`);
  return template;
}

/** This package's version, for `--version`. */
export function packageVersion(): string {
  const version = readPackageJson(path.join(findPackageRoot(), 'package.json'))?.version;
  return typeof version === 'string' ? version : 'unknown';
}

function readPackageJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
