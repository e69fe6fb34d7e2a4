import { mkdir, symlink, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
export const REPO_NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

/** Write files under `dir` (folders made as needed); returns `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

/** Make the repo's `@openclaw-node/*` packages importable from `dir`, as an npm install would. */
export async function linkOpenClawPackages(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await symlink(
    path.join(REPO_NODE_MODULES, '@openclaw-node'),
    path.join(dir, 'node_modules', '@openclaw-node'),
    'junction',
  );
}

/** The package.json of a built plugin package. */
export function pluginPackageJson(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    version: '1.0.0',
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    files: ['dist'],
    dependencies: { '@openclaw-node/plugin-sdk': '^0.1.0' },
    ...extra,
  });
}

export interface PluginCodeOptions {
  /** The plugin name (default `hello`). */
  name?: string;
  version?: string;
  /** Replaces `export default plugin;`, e.g. to export it under another name. */
  exportLine?: string;
  /** Overrides merged into the definition after definePlugin, e.g. `sdk: '2.0.0'` for another SDK. */
  after?: string;
}

/**
 * The built JavaScript of a small plugin written against the real SDK: `hello` (greets, returns
 * its plugin_config section) and `broken` (returns a result its schema refuses).
 */
export function pluginCode(options: PluginCodeOptions = {}): string {
  const name = options.name ?? 'hello';
  return `import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
const built = definePlugin({
  name: ${JSON.stringify(name)},
  version: ${JSON.stringify(options.version ?? '1.0.0')},
  description: 'Says hello',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    hello: defineAction({
      description: 'Greet someone',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: { who: { type: 'string', maxLength: 40, default: 'world', description: 'Who' } },
      },
      result: {
        type: 'object',
        additionalProperties: false,
        required: ['greeting', 'config'],
        properties: { greeting: { type: 'string' }, config: { type: 'object' } },
      },
      run: (params, ctx) => ({ greeting: 'hello ' + params.who, config: ctx.config }),
    }),
    broken: defineAction({
      description: 'Returns a result that breaks its schema',
      params: { type: 'object', additionalProperties: false, properties: {} },
      result: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
      run: () => ({ count: 'many' }),
    }),
  },
});
const plugin = { ...built, ${options.after ?? ''} };
${options.exportLine ?? 'export default plugin;'}
`;
}

/**
 * A plugin package folder: package.json and dist/index.js. With `link`, the repo's SDK is made
 * importable from inside it (the package sits where no node_modules above it has the SDK).
 */
export async function writePluginPackage(
  dir: string,
  packageName: string,
  code: string,
  options: { link?: boolean } = {},
): Promise<string> {
  await writeFiles(dir, { 'package.json': pluginPackageJson(packageName), 'dist/index.js': code });
  if (options.link) await linkOpenClawPackages(dir);
  return dir;
}

/**
 * Build examples/studio-tools with tsc into `dir` (package.json + dist), as its own `npm run build`
 * would, but against the SDK sources so no workspace build is needed.
 */
export async function buildStudioTools(dir: string): Promise<string> {
  const example = path.join(REPO_ROOT, 'examples/studio-tools');
  await execa(
    process.execPath,
    [
      path.join(REPO_NODE_MODULES, 'typescript/bin/tsc'),
      '-p',
      path.join(example, 'tsconfig.build.json'),
      '--outDir',
      path.join(dir, 'dist'),
      '--declaration',
      'false',
      '--sourceMap',
      'false',
      '--customConditions',
      '@openclaw-node/source',
      // The repo's typecheck covers the example; here only its JavaScript is needed.
      '--noCheck',
    ],
    { cwd: example, timeout: 60_000 },
  );
  await copyFile(path.join(example, 'package.json'), path.join(dir, 'package.json'));
  await linkOpenClawPackages(dir);
  return dir;
}
