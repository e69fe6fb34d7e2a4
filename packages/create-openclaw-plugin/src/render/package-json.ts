import type { PluginAnswers } from '../answers.js';

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
    dependencies: { '@openclaw-node/plugin-sdk': answers.sdkVersion },
    devDependencies: { '@types/node': '^20.19.0', typescript: '~5.9.3', vitest: '^4.0.0' },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
