import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a plugin's code is: the file to import and, when there is one, its package. */
export interface PluginEntry {
  /** Absolute path of the module whose default export is the plugin. */
  entry: string;
  /** The folder holding the plugin's package.json, if any. */
  packageDir: string | undefined;
  packageJson: Record<string, unknown> | undefined;
}

/** A plugin that could not be found or imported; `file` is where to look. */
export class PluginLoadProblem extends Error {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'PluginLoadProblem';
    this.file = file;
    this.field = field;
  }
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);
// The conditions Node uses for `import`, in the order a package's `exports` is read.
const IMPORT_CONDITIONS = ['node', 'import', 'default'];

/**
 * Find the module to import for a plugin: a `.js`/`.ts` file as given, or for a package folder
 * its package.json `exports["."]` (import conditions), else `main`, else `index.js`.
 * @example const { entry } = await resolvePluginEntry('./openclaw-plugin-houdini')
 */
export async function resolvePluginEntry(target: string): Promise<PluginEntry> {
  const absolute = path.resolve(target);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new PluginLoadProblem(absolute, 'path', `${absolute} does not exist`);
  if (info.isFile()) {
    const packageDir = findPackageDir(path.dirname(absolute));
    return {
      entry: absolute,
      packageDir,
      packageJson: packageDir ? await readPackageJson(packageDir) : undefined,
    };
  }
  const packageJson = await readPackageJson(absolute);
  const manifestFile = path.join(absolute, 'package.json');
  if (!packageJson) {
    throw new PluginLoadProblem(
      manifestFile,
      'package.json',
      `${absolute} has no package.json: give a plugin package folder or the plugin's .js/.ts file`,
    );
  }
  const fromExports = exportTarget(packageJson.exports);
  const [relative, field] =
    fromExports !== undefined
      ? [fromExports, 'exports']
      : typeof packageJson.main === 'string'
        ? [packageJson.main, 'main']
        : ['index.js', 'main'];
  const entry = path.resolve(absolute, relative);
  if (!entry.startsWith(absolute + path.sep)) {
    throw new PluginLoadProblem(
      manifestFile,
      field,
      `package.json ${field} points outside the package: ${relative}`,
    );
  }
  if (!existsSync(entry)) {
    const hint =
      typeof (packageJson.scripts as Record<string, unknown> | undefined)?.build === 'string'
        ? ': build the package first (npm run build)'
        : '';
    throw new PluginLoadProblem(
      manifestFile,
      field,
      `package.json ${field} points at ${relative}, which does not exist${hint}`,
    );
  }
  return { entry, packageDir: absolute, packageJson };
}

/** Import a plugin module. TypeScript files load natively where Node can, else through tsx if installed. */
export async function importPluginModule(entry: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(entry).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (
      !TS_EXTENSIONS.has(path.extname(entry)) ||
      (error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION'
    ) {
      throw new PluginLoadProblem(entry, 'module', `importing ${entry} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  let tsx: { tsImport: (specifier: string, parentURL: string) => Promise<unknown> };
  try {
    // A variable specifier: tsx is optional, and bundlers must not try to pull it in.
    const specifier = 'tsx/esm/api';
    tsx = (await import(specifier)) as typeof tsx;
  } catch (error) {
    throw new PluginLoadProblem(
      entry,
      'module',
      `${entry} is TypeScript: build the plugin and point at its .js output, or install tsx to load it directly`,
      {
        cause: error,
      },
    );
  }
  try {
    return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message;
    // tsx loads a .ts file outside a "type": "module" package as CommonJS, and the SDK is ESM only.
    const hint = /No "exports" main defined/.test(message)
      ? ' (the SDK is ESM only: set "type": "module" in package.json)'
      : '';
    throw new PluginLoadProblem(entry, 'module', `importing ${entry} failed: ${message}${hint}`, {
      cause: error,
    });
  }
}

/** The TypeScript source a built file came from, when the package keeps `dist/x.js` ↔ `src/x.ts`. */
export function sourceFileOf(entry: string, packageDir: string | undefined): string {
  if (!packageDir) return entry;
  const relative = path.relative(packageDir, entry).split(path.sep);
  if (relative[0] !== 'dist' && relative[0] !== 'lib' && relative[0] !== 'build') return entry;
  const stem = path.join(packageDir, 'src', ...relative.slice(1)).replace(/\.(?:m|c)?js$/, '');
  for (const extension of ['.ts', '.mts', '.tsx', '.js', '.mjs']) {
    if (existsSync(stem + extension)) return stem + extension;
  }
  return entry;
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.some((key) => key.startsWith('.'))) return exportTarget(map['.']);
  for (const key of keys) {
    if (IMPORT_CONDITIONS.includes(key)) {
      const found = exportTarget(map[key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function findPackageDir(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function readPackageJson(dir: string): Promise<Record<string, unknown> | undefined> {
  const file = path.join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PluginLoadProblem(
      file,
      'package.json',
      `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PluginLoadProblem(file, 'package.json', `${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}
