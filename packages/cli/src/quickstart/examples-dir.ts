import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository's `examples/` folder: walking up from `start`, the first directory that has an
 * `examples/` folder and a package.json with workspaces. Null when there is none (an npm install).
 */
export function findExamplesDir(start: string): string | null {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const examples = path.join(dir, 'examples');
    if (isDirectory(examples) && hasWorkspaces(path.join(dir, 'package.json'))) return examples;
    if (path.dirname(dir) === dir) return null;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function hasWorkspaces(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { workspaces?: unknown };
    return pkg.workspaces !== undefined;
  } catch {
    return false;
  }
}
