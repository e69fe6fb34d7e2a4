import { describe, expect, it } from 'vitest';
import { medianOfRounds, type TargetFigures } from '../../bench/sections/exec-rounds.js';
import { median } from '../../bench/stats.js';

const load = (perSecond: number, p99: number, failures = 0) => ({
  requests: perSecond * 2,
  perSecond,
  p50: p99 / 10,
  p99,
  failures,
  durationS: 2,
});

function round(n: number, errors = 0): TargetFigures {
  return {
    health: load(10_000 * n, 1 * n),
    healthCpu: 0.05 * n,
    real: load(1000 * n, 5 * n),
    sim: load(2000 * n, 4 * n),
    simCpu: 0.3 * n,
    throughput: new Map([[16, { load: load(3000 * n, 10 * n), cpu: 0.25 * n }]]),
    sse: { p50: 0.2 * n, p99: 3 * n, mean: 0.4 * n },
    serverLog: { errors, warnings: 1, first: errors ? [`error of round ${n}`] : [] },
  };
}

describe('the exec rounds of the bench', () => {
  it('takes the middle value, and the mean of the middle two for an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('reports each figure as the median of its rounds, whichever round was slow', () => {
    const f = medianOfRounds([round(3), round(1, 2), round(2)]);
    expect(f.simCpu).toBeCloseTo(0.6);
    expect(f.sim.perSecond).toBe(4000);
    expect(f.sim.p99).toBe(8);
    expect(f.throughput.get(16)).toEqual({ load: load(6000, 20), cpu: 0.5 });
    expect(f.sse?.p99).toBe(6);
    // Failures and the server's log lines are not medians: every round's count.
    expect(f.serverLog).toEqual({ errors: 2, warnings: 3, first: ['error of round 1'] });
  });

  it('adds up failures over the rounds', () => {
    const rounds = [round(1), round(1), round(1)];
    rounds[1]!.sim = load(2000, 4, 3);
    expect(medianOfRounds(rounds).sim.failures).toBe(3);
  });

  it('keeps a single round as it is', () => {
    const one = round(1);
    expect(medianOfRounds([one])).toBe(one);
  });
});
