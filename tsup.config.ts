import { defineConfig, type Options } from 'tsup';

/** Every package is built from here: ESM, declarations, node 20. Entries are per package. */
const packages: Record<string, string[]> = {
  core: ['src/index.ts'],
  'plugin-sdk': ['src/index.ts', 'src/testing.ts', 'src/runtime/index.ts'],
  plugins: ['src/index.ts'],
  agent: ['src/index.ts', 'src/bin.ts'],
  server: ['src/index.ts'],
  client: ['src/index.ts'],
  cli: ['src/index.ts', 'src/bin.ts', 'src/workstation.ts'],
  'create-openclaw-plugin': ['src/index.ts', 'src/bin.ts'],
};

/** `BUILD_ONLY=agent,cli npx tsup`: rebuild some packages only (while working on them). */
const only = process.env.BUILD_ONLY?.split(',');

export default defineConfig(
  Object.entries(packages)
    .filter(([dir]) => !only || only.includes(dir))
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
      clean: true,
      splitting: false,
      skipNodeModulesBundle: true,
      external: [/^@openclaw-node\//, /^node:/],
      silent: true,
    })),
);
