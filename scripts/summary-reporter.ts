import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';
import { REDIS_SKIPPED_LINE, skipWithoutRedis } from '@openclaw-node/test-support/redis';

/** The counts of the closing line; a failed file or an error outside any test counts as a failure. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Files that failed with no failed test in them: an import error, a failed beforeAll/afterAll. */
  fileErrors: number;
  /** Errors vitest caught outside every test (an unhandled rejection, a crashed worker). */
  unhandledErrors: number;
}

/** Count a finished run the way CI reads it: everything that made vitest exit 1 is a failure. */
export function countRun(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<unknown>,
): RunCounts {
  const counts: RunCounts = { passed: 0, failed: 0, skipped: 0, fileErrors: 0, unhandledErrors: 0 };
  for (const module of testModules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') failedHere++;
      else counts.skipped++;
    }
    counts.failed += failedHere;
    if (failedHere === 0 && (module.state() === 'failed' || module.errors().length > 0)) {
      counts.fileErrors++;
    }
  }
  counts.unhandledErrors = unhandledErrors.length;
  counts.failed += counts.fileErrors + counts.unhandledErrors;
  return counts;
}

/** `N passed, N failed, N skipped`, saying what the failures that are not tests were. */
export function summaryLine(counts: RunCounts): string {
  const extra = [
    counts.fileErrors ? `${counts.fileErrors} test file(s) failed outside their tests` : '',
    counts.unhandledErrors ? `${counts.unhandledErrors} unhandled error(s)` : '',
  ].filter(Boolean);
  const why = extra.length ? ` (${extra.join(', ')}: see the errors above)` : '';
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${why}`;
}

/** Prints one closing line, `N passed, N failed, N skipped`, that CI reads (and why Redis suites skipped). */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const redis = skipWithoutRedis ? `\n${REDIS_SKIPPED_LINE}` : '';
    process.stdout.write(`${redis}\n${summaryLine(countRun(testModules, unhandledErrors))}\n`);
  }
}
