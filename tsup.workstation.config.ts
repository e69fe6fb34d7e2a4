import { defineConfig } from 'tsup';
import { finishWorkstationBundle } from './scripts/workstation-bundle.js';

const NOT_BUNDLED = /^(?!(@openclaw-node\/(server|client)|bufferutil|utf-8-validate|tsx|typescript)(\/|$))/;

/**
 * @openclaw-node/workstation: the agent, the built-in plugins and the workstation's `openclaw`,
 * bundled with every third-party dependency (from the workspace sources), so the package installs
 * from its one tarball with no registry. The server and the REST client stay out.
 */
export default defineConfig({
  name: 'workstation',
  entry: {
    index: 'packages/workstation/src/index.ts',
    bin: 'packages/workstation/src/bin.ts',
    'agent-bin': 'packages/workstation/src/agent-bin.ts',
  },
  outDir: 'packages/workstation/dist',
  tsconfig: 'packages/workstation/tsconfig.build.json',
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: { entry: { index: 'packages/workstation/src/index.ts' } },
  sourcemap: false,
  clean: true,
  splitting: true,
  // Everything but what a workstation never runs: the server (koa, socket.io, Redis, SQLite) and
  // the REST client; and optional modules loaded only when present (ws's native speed-ups, tsx and
  // typescript for plugins or configs written in TypeScript).
  noExternal: [NOT_BUNDLED],
  external: [
    '@openclaw-node/server',
    '@openclaw-node/client',
    'bufferutil',
    'utf-8-validate',
    'tsx',
    'typescript',
  ],
  esbuildOptions(options) {
    options.conditions = ['@openclaw-node/source', 'node', 'import', 'default'];
  },
  // CommonJS dependencies call require() for Node's own modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __openclawCreateRequire } from 'node:module';\nconst require = __openclawCreateRequire(import.meta.url);",
  },
  metafile: true,
  minifySyntax: true,
  async onSuccess() {
    await finishWorkstationBundle(process.cwd());
  },
  silent: true,
});
