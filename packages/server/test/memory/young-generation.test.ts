import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const WORKLOADS = fileURLToPath(new URL('./fixtures/gc-workloads.ts', import.meta.url));

/** Run a workload in its own process; its stdout, with V8's line per collection. */
function run(workload: string, trace = '--trace-gc-nvp'): string {
  return execFileSync(
    process.execPath,
    [trace, '--conditions=@openclaw-node/source', '--import', 'tsx', WORKLOADS, workload],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
}

/** Bytes the young-generation collections (scavenges) copied into the old generation while it churned. */
function promotedByScavenges(output: string): number {
  let total = 0;
  const churn = output.slice(output.indexOf('churn starts'));
  for (const line of churn.split('\n')) {
    if (!line.includes(' gc=s ')) continue;
    const promoted = /\bpromoted=(\d+)/.exec(line);
    if (promoted) total += Number(promoted[1]);
  }
  return total;
}

describe('what outlives the young generation', () => {
  // A Map with entries coming and going keeps, in the tables it leaves behind in the old generation,
  // every entry it ever held: the collector copies them all into the old generation.
  it('a long-lived Map promotes the entries that passed through it; a ChurnMap does not', () => {
    const map = promotedByScavenges(run('map'));
    const churnMap = promotedByScavenges(run('churn-map'));
    expect(map).toBeGreaterThan(20_000_000);
    expect(churnMap).toBeLessThan(map / 10);
  }, 240_000);

  // V8 reports the allocation sites it weighs for pretenuring only while pretenuring is on.
  it('tuneProcessForServer turns allocation-site pretenuring off', () => {
    const sites = (output: string): number => output.split('pretenuring: AllocationSite').length - 1;
    expect(sites(run('pretenure', '--trace-pretenuring-statistics'))).toBeGreaterThan(0);
    expect(sites(run('tuned', '--trace-pretenuring-statistics'))).toBe(0);
  }, 240_000);
});
