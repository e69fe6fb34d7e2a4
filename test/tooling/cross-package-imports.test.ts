import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The repository's ESLint config refuses a relative import into another package's test files or
// sources (shared test support is @openclaw-node/test-support). Run on snippets, as `npm run lint`
// would see them in these files.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: repoRoot });

async function importMessages(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

// The first lint builds the TypeScript program of the type-aware rules: slow on a busy machine.
describe('lint: no relative imports across packages', { timeout: 120_000 }, () => {
  it("refuses another package's test helper from a package's test", async () => {
    const messages = await importMessages(
      'packages/agent/test/connection/tls.test.ts',
      "import { createTestCa } from '../../../server/test/tls/test-ca.js';\nexport const ca = createTestCa();\n",
    );
    expect(messages).toEqual([expect.stringContaining("another package's test files are not imported")]);
  });

  it("refuses another package's test files and sources from the repository's tests and bench", async () => {
    const fromTest = await importMessages(
      'test/security/edges.ts',
      "import type { FakeShotgrid } from '../../packages/plugins/test/fixtures/shotgrid/fake-shotgrid.js';\nexport type Shotgrid = FakeShotgrid;\n",
    );
    expect(fromTest).toEqual([expect.stringContaining("another package's test files are not imported")]);
    const fromBench = await importMessages(
      'bench/server-main.ts',
      "import { createServer } from '../packages/server/src/index.js';\nexport const make = createServer;\n",
    );
    expect(fromBench).toEqual([
      expect.stringContaining("another package's sources are not imported by path"),
    ]);
  });

  it('accepts imports by package name and within the package', async () => {
    const messages = await importMessages(
      'packages/agent/test/connection/tls.test.ts',
      [
        "import { createTestCa } from '@openclaw-node/test-support/tls';",
        "import { createAgent } from '../../src/index.js';",
        'export const both = [createTestCa, createAgent];',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });
});
