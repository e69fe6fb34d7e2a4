import { connectExecAgents, startBenchServer } from '../bench-server.js';
import type { BenchContext } from '../context.js';
import { execLoad } from '../exec-load.js';
import { ratio, verdict, type Row } from '../report.js';
import { throughput } from '../stats.js';
import type { Swarm } from '../swarm/swarm.js';

/** Alternating rounds per setting: on, off, on, off… so drift on a shared machine hits both alike. */
const ROUNDS = 4;
const CONCURRENCY = 64;

/**
 * The cost of Prometheus metrics: exec throughput of a server with metrics on (the default, scraped
 * once a round as Prometheus would) next to the same server with them off (BENCH_METRICS=off), in
 * alternating rounds; the figure is the median of each. Target: on within 3 % of off.
 */
export async function metricsSection(ctx: BenchContext): Promise<Row[]> {
  const s = ctx.settings;
  const section = 'metrics cost (memory job store)';
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
  };
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const setting of ['on', 'off'] as const) {
      ctx.log(`${section}: round ${round + 1} of ${ROUNDS}, metrics ${setting}`);
      rates[setting].push(await measure(ctx, setting, s.throughputMs));
    }
  }
  const on = median(rates.on);
  const off = median(rates.off);
  ctx.figures.set('metrics.on', on);
  ctx.figures.set('metrics.off', off);
  return [
    {
      section,
      measure: `exec throughput, ${CONCURRENCY} concurrent, metrics on (median of ${ROUNDS})`,
      value: `${on.toFixed(0)}/s`,
      reference: `metrics off ${off.toFixed(0)}/s (rounds on: ${rates.on.map((r) => r.toFixed(0)).join(', ')}; off: ${rates.off.map((r) => r.toFixed(0)).join(', ')})`,
      target: `≥ 97 % of off (${ratio(on, off)})`,
      result: verdict(on >= 0.97 * off),
    },
  ];
}

async function measure(ctx: BenchContext, setting: 'on' | 'off', durationMs: number): Promise<number> {
  const s = ctx.settings;
  const server = await startBenchServer(ctx, 'memory', {
    launcher: 'bench',
    env: { BENCH_METRICS: setting },
  });
  let swarm: Swarm | undefined;
  try {
    swarm = await connectExecAgents(ctx, server.agentUrl);
    const sims = Array.from({ length: s.execAgents }, (_, i) => `sim-${i}`);
    const load = execLoad({ restBases: [server.base], token: ctx.token, nodeIds: sims });
    for (let i = 0; i < s.warmup; i++) await load.exec();
    const scrape = async (): Promise<void> => {
      if (setting === 'off') return;
      const response = await fetch(`${server.base}/metrics`, {
        headers: { authorization: `Bearer ${ctx.token}` },
      });
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      await response.text();
    };
    await scrape();
    const rate = await throughput(CONCURRENCY, durationMs, load.exec);
    await scrape();
    return rate;
  } finally {
    await swarm?.stop();
    await server.stop();
  }
}
