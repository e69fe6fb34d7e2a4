import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SKIPPED_LINE } from '@openclaw-node/test-support/redis';
import { repoRoot } from '../packaging/workspace-packages.js';

// A real vitest run over fixture files with the repository's summary reporter: what CI reads.
// Each case starts a whole vitest, which takes 20 s and more on a loaded machine.
const NESTED_RUN_MS = 90_000;

const config = path.join(repoRoot, 'test/fixtures/vitest-run/vitest.config.ts');
const vitestBin = path.join(repoRoot, 'node_modules/vitest/vitest.mjs');
let noRedisBin: string;

beforeAll(async () => {
  // A PATH with node and nothing else: no redis-server, as on a fresh machine.
  noRedisBin = await mkdtemp(path.join(os.tmpdir(), 'openclaw-no-redis-'));
  await symlink(process.execPath, path.join(noRedisBin, 'node'));
});
afterAll(async () => {
  await rm(noRedisBin, { recursive: true, force: true });
});

async function runFixture(file: string, env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [vitestBin, 'run', '--config', config], {
    cwd: repoRoot,
    // OPENCLAW_REQUIRE_REDIS is set by .ci/run for the whole run: each case says its own.
    env: { FIXTURE_FILE: file, CI: '1', NO_COLOR: '1', OPENCLAW_REQUIRE_REDIS: '0', ...env },
    reject: false,
    all: true,
    timeout: NESTED_RUN_MS - 5_000,
  });
  const lines = result.all.split('\n').map((line) => line.trim());
  return { exitCode: result.exitCode, lines, summary: lines.filter((l) => /^\d+ passed, /.test(l)).at(-1) };
}

describe('the closing summary line', () => {
  it(
    'counts a file whose beforeAll failed as a failure, matching the exit code',
    async () => {
      const run = await runFixture('before-all-fails.fixture.ts');
      expect(run.exitCode).toBe(1);
      expect(run.summary).toBe(
        '0 passed, 1 failed, 2 skipped (1 test file(s) failed outside their tests: see the errors above)',
      );
    },
    NESTED_RUN_MS,
  );

  it(
    'says 0 failed on a green run',
    async () => {
      const run = await runFixture('passes.fixture.ts');
      expect(run.exitCode).toBe(0);
      expect(run.summary).toBe('1 passed, 0 failed, 0 skipped');
    },
    NESTED_RUN_MS,
  );
});

describe('Redis suites on a machine without redis-server', () => {
  it(
    'skip, with one line naming what to install',
    async () => {
      const run = await runFixture('needs-redis.fixture.ts', { PATH: noRedisBin });
      expect(run.exitCode).toBe(0);
      expect(run.summary).toBe('0 passed, 0 failed, 1 skipped');
      expect(run.lines.filter((l) => l === REDIS_SKIPPED_LINE)).toHaveLength(1);
      expect(REDIS_SKIPPED_LINE).toContain('apt-get install redis-server');
    },
    NESTED_RUN_MS,
  );

  it(
    'fail instead when OPENCLAW_REQUIRE_REDIS=1 (as .ci/run sets)',
    async () => {
      const run = await runFixture('needs-redis.fixture.ts', {
        PATH: noRedisBin,
        OPENCLAW_REQUIRE_REDIS: '1',
      });
      expect(run.exitCode).toBe(1);
      expect(run.summary).toMatch(/^0 passed, 1 failed, /);
      expect(run.lines.join('\n')).toContain('redis-server was not found on PATH');
      expect(run.lines).not.toContain(REDIS_SKIPPED_LINE);
    },
    NESTED_RUN_MS,
  );
});
