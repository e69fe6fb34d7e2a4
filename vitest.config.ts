import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const conditions = ['@openclaw-node/source'];

export default defineConfig({
  resolve: { conditions: [...conditions, 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: [...conditions, 'node', 'import', 'default'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on real servers, child processes and sockets rather than compute: on two cores
    // four workers run the suite in two thirds of the time of the default two (403 s against 597 s).
    maxWorkers: Math.min(8, 2 * availableParallelism()),
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
