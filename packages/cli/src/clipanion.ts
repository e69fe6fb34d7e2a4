// clipanion has no `exports` map and an extensionless `main`. Resolvers that try `.mjs` first (Vite, so
// vitest) pick its ESM build, which imports a directory and fails under Node. Its CommonJS entry, named
// in full, loads the same everywhere.
export { Builtins, Cli, Command, Option, UsageError } from 'clipanion/lib/advanced/index.js';
export type { BaseContext } from 'clipanion/lib/advanced/index.js';
