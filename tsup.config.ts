import { copyFile, mkdir } from 'node:fs/promises';
import { defineConfig, type Options } from 'tsup';

/** Every package is built from here: ESM, declarations, node 20. Entries are per package. */
const packages: Record<string, string[]> = {
  core: ['src/index.ts'],
  'plugin-sdk': ['src/index.ts', 'src/testing.ts', 'src/runtime/index.ts', 'src/lint/index.ts'],
  plugins: ['src/index.ts'],
  agent: ['src/index.ts', 'src/bin.ts'],
  server: ['src/index.ts'],
  client: ['src/index.ts'],
  cli: ['src/index.ts', 'src/bin.ts', 'src/workstation.ts'],
  'create-openclaw-plugin': ['src/index.ts', 'src/bin.ts'],
};

/**
 * The web dashboard (packages/server/dashboard): one browser bundle (Preact, signals, the client
 * from sources) and its stylesheet, minified into the server package's dist/dashboard, next to the
 * page that loads them. The server package's own clean leaves that folder alone.
 */
const dashboard: Options = {
  name: 'dashboard',
  entry: { app: 'packages/server/dashboard/src/main.tsx' },
  outDir: 'packages/server/dist/dashboard/assets',
  tsconfig: 'packages/server/dashboard/tsconfig.json',
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  minify: true,
  dts: false,
  sourcemap: false,
  clean: true,
  splitting: false,
  noExternal: [/.*/],
  silent: true,
  esbuildOptions(options) {
    options.jsx = 'automatic';
    options.jsxImportSource = 'preact';
    options.conditions = ['@openclaw-node/source', 'browser', 'import', 'default'];
    options.legalComments = 'none';
  },
  async onSuccess() {
    const from = 'packages/server/dashboard/public';
    const to = 'packages/server/dist/dashboard';
    await mkdir(`${to}/assets`, { recursive: true });
    await copyFile(`${from}/index.html`, `${to}/index.html`);
    await copyFile(`${from}/icon.svg`, `${to}/assets/icon.svg`);
  },
};

/**
 * Worker threads of the server, plain JavaScript loaded by URL next to the module that starts them:
 * beside their source in tests, beside dist/index.js once built.
 */
async function copyServerWorkers(): Promise<void> {
  await copyFile(
    'packages/server/src/jobs/store/sqlite/wal-checkpoint-worker.js',
    'packages/server/dist/wal-checkpoint-worker.js',
  );
}

/** `BUILD_ONLY=agent,cli npx tsup`: rebuild some packages only (while working on them). */
const only = process.env.BUILD_ONLY?.split(',');
const wanted = (name: string): boolean => !only || only.includes(name);

export default defineConfig([
  ...Object.entries(packages)
    .filter(([dir]) => wanted(dir))
    .map(([dir, entries]): Options => ({
      name: dir,
      entry: entries.map((entry) => `packages/${dir}/${entry}`),
      outDir: `packages/${dir}/dist`,
      tsconfig: `packages/${dir}/tsconfig.build.json`,
      format: ['esm'],
      platform: dir === 'core' || dir === 'client' ? 'neutral' : 'node',
      target: 'node20',
      dts: true,
      sourcemap: true,
      clean: dir === 'server' ? ['!dashboard/**'] : true,
      splitting: false,
      skipNodeModulesBundle: true,
      external: [/^@openclaw-node\//, /^node:/],
      silent: true,
      ...(dir === 'server' ? { onSuccess: copyServerWorkers } : {}),
    })),
  ...(wanted('dashboard') || wanted('server') ? [dashboard] : []),
]);
