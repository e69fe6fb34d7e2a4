import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The folders under packages/: a relative import that climbs into one of them leaves its own package. */
const PACKAGE_DIRS =
  'agent|cli|client|core|create-openclaw-plugin|plugin-sdk|plugins|server|test-support|workstation';

/**
 * Packages meet through their names (package.json "exports"), tests too: shared test support is
 * the private workspace @openclaw-node/test-support. test/tooling/cross-package-imports.test.ts proves they fire.
 */
const crossPackageImports = [
  {
    regex: `^(\\.\\./)+(packages/)?(${PACKAGE_DIRS})/test/`,
    message:
      "another package's test files are not imported: move what is shared into @openclaw-node/test-support and import it by name.",
  },
  {
    regex: `^(\\.\\./)+(packages/)?(${PACKAGE_DIRS})/src/`,
    message: "another package's sources are not imported by path: import the package by its name.",
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bench/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-restricted-imports': ['error', { patterns: crossPackageImports }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/test/**/*.ts', 'packages/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
