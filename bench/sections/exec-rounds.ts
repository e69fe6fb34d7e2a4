import type { LoadResult } from '../load/http-load.js';
import { KEPT_LOG_LINES, type ServerLogTally } from '../server-process.js';
import { median, type Sequential } from '../stats.js';

/** What one exec target (the floor, or the server with one store) measured in one round. */
export interface TargetFigures {
  health: LoadResult;
  healthCpu: number;
  real: LoadResult;
  sim: LoadResult;
  /** Server CPU (ms) per sequential exec to the simulated agents. */
  simCpu: number;
  throughput: Map<number, { load: LoadResult; cpu: number }>;
  sse?: Sequential;
  /** What the server logged at warn and above during the runs (the floor logs nothing). */
  serverLog?: ServerLogTally;
}

function medianLoad(loads: LoadResult[]): LoadResult {
  const of = (pick: (l: LoadResult) => number): number => median(loads.map(pick));
  return {
    requests: of((l) => l.requests),
    perSecond: of((l) => l.perSecond),
    p50: of((l) => l.p50),
    p99: of((l) => l.p99),
    failures: loads.reduce((sum, l) => sum + l.failures, 0),
    durationS: of((l) => l.durationS),
  };
}

/**
 * One target's figures over its rounds: each figure the median of its own rounds (so a p99 is the
 * median round's p99, not a p99 of all samples); the server's log lines of every round added up.
 */
export function medianOfRounds(rounds: TargetFigures[]): TargetFigures {
  if (rounds.length === 0) throw new Error('medianOfRounds: no rounds');
  if (rounds.length === 1) return rounds[0]!;
  const throughput = new Map<number, { load: LoadResult; cpu: number }>();
  for (const c of rounds[0]!.throughput.keys()) {
    const each = rounds.map((r) => r.throughput.get(c)!);
    throughput.set(c, { load: medianLoad(each.map((t) => t.load)), cpu: median(each.map((t) => t.cpu)) });
  }
  const sses = rounds.flatMap((r) => (r.sse ? [r.sse] : []));
  const logs = rounds.flatMap((r) => (r.serverLog ? [r.serverLog] : []));
  return {
    health: medianLoad(rounds.map((r) => r.health)),
    healthCpu: median(rounds.map((r) => r.healthCpu)),
    real: medianLoad(rounds.map((r) => r.real)),
    sim: medianLoad(rounds.map((r) => r.sim)),
    simCpu: median(rounds.map((r) => r.simCpu)),
    throughput,
    ...(sses.length > 0
      ? {
          sse: {
            p50: median(sses.map((s) => s.p50)),
            p99: median(sses.map((s) => s.p99)),
            mean: median(sses.map((s) => s.mean)),
          },
        }
      : {}),
    ...(logs.length > 0
      ? {
          serverLog: {
            errors: logs.reduce((sum, l) => sum + l.errors, 0),
            warnings: logs.reduce((sum, l) => sum + l.warnings, 0),
            first: logs.flatMap((l) => l.first).slice(0, KEPT_LOG_LINES),
          },
        }
      : {}),
  };
}
