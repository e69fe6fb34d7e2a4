import type { PluginAnswers } from '../answers.js';

const DEV_TOOLS = { '@types/node': '^20.19.0', typescript: '~5.9.3', vitest: '^4.0.0' };

/**
 * Where the SDK comes from. From the registry: a dependency. From a clone's packed tarballs (not
 * published yet): devDependencies on the tarballs to build and test with, and a peer dependency
 * on the release, so the packed plugin names no `file:` path and installs into plugin_dirs beside
 * the SDK (or, once published, with it from the registry).
 */
function sdkDependencies(answers: PluginAnswers): Record<string, Record<string, string>> {
  const local = answers.localSdk;
  if (!local) {
    return { dependencies: { '@openclaw-node/plugin-sdk': answers.sdkVersion }, devDependencies: DEV_TOOLS };
  }
  return {
    peerDependencies: { '@openclaw-node/plugin-sdk': answers.sdkVersion },
    devDependencies: {
      '@openclaw-node/core': `file:${local.core}`,
      '@openclaw-node/plugin-sdk': `file:${local.sdk}`,
      ...DEV_TOOLS,
    },
  };
}

/** The generated package.json: ESM, built to dist/ by tsc, the SDK as its one dependency. */
export function renderPackageJson(answers: PluginAnswers): string {
  const manifest = {
    name: answers.packageName,
    version: '0.1.0',
    description: answers.description,
    keywords: ['openclaw-node', 'openclaw-plugin', answers.pluginName],
    type: 'module',
    exports: {
      '.': { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist'],
    engines: { node: '>=20' },
    // Read by tools that list plugins without importing them.
    openclaw: { plugin: answers.pluginName },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
      prepublishOnly: 'npm run typecheck && npm test && npm run build',
    },
    ...sdkDependencies(answers),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
