import { EXEC_BODY } from '../exec-load.js';
import { connectExecAgents, startBenchServer } from '../bench-server.js';
import type { BenchContext } from '../context.js';
import type { HttpLoad } from '../load/http-load.js';
import { readCpuSeconds } from '../proc-stats.js';
import { ratio, verdict, type Row } from '../report.js';
import type { ServerProcess } from '../server-process.js';
import type { Swarm } from '../swarm/swarm.js';

/**
 * Fresh server pairs, and rounds (one on, one off, the order swapped each time) per server pair. Two
 * processes of the same build differ by up to 7 % in CPU per exec here (hash seeds, JIT and memory
 * layout: an A/A run shows it), so no single pair of processes can show a 3 % difference: the
 * verdict is the median ratio over the rounds of several pairs.
 */
const SERVER_PAIRS = 4;
const ROUNDS_PER_PAIR = 4;
const CONCURRENCY = 64;

type Setting = 'on' | 'off';
type Store = 'memory' | 'sqlite';

interface Side {
  server: ServerProcess;
  swarm: Swarm;
  paths: string[];
  scrape: () => Promise<void>;
}

/**
 * The cost of Prometheus metrics: exec throughput of a server with metrics on (the default, scraped
 * before and after every round as Prometheus would) next to the same server with them off
 * (BENCH_METRICS=off), loaded by the run's HTTP load generator. Both run side by side and the
 * rounds interleave (on, off, off, on, …), short, after a warm-up round each, so that drift on a
 * shared machine — which swings a 5 s round by 20 % here — hits both alike; the verdict is the
 * median of the rounds' ratios over `SERVER_PAIRS` fresh pairs. Target: on within 3 % of off.
 */
export async function metricsSection(
  ctx: BenchContext,
  load: HttpLoad,
  stores: readonly Store[] = ['memory', 'sqlite'],
  options: { aa?: boolean } = {},
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const store of stores) rows.push(...(await measureStore(ctx, load, store, options.aa === true)));
  return rows;
}

/** The section for one job store: the memory store shows the metrics' cost most, SQLite is the default. */
/** `aa`: both sides off (calibration: the "on" side is a second metrics-off process). */
async function measureStore(ctx: BenchContext, load: HttpLoad, store: Store, aa: boolean): Promise<Row[]> {
  const s = ctx.settings;
  const section = `metrics cost (${store} job store${store === 'sqlite' ? ', the default' : ''})${
    aa ? ' — A/A CALIBRATION: both sides have metrics off' : ''
  }`;
  const roundMs = Math.max(500, Math.round(s.throughputMs / 2));
  const rates: Record<Setting, number[]> = { on: [], off: [] };
  const cpus: Record<Setting, number[]> = { on: [], off: [] };
  const ratios: number[] = [];
  for (let serverPair = 0; serverPair < SERVER_PAIRS; serverPair++) {
    const sides: Partial<Record<Setting, Side>> = {};
    try {
      // Who starts first alternates too.
      const starts: Setting[] = serverPair % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const setting of starts) sides[setting] = await startSide(ctx, store, aa ? 'off' : setting);
      ctx.log(`${section}: server pair ${serverPair + 1} of ${SERVER_PAIRS}`);
      for (const setting of starts) await measure(ctx, load, sides[setting]!, roundMs);
      for (let round = 0; round < ROUNDS_PER_PAIR; round++) {
        const order: Setting[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        const got: Partial<Record<Setting, number>> = {};
        for (const setting of order) {
          const { rate, cpuMs } = await measure(ctx, load, sides[setting]!, roundMs);
          rates[setting].push(rate);
          cpus[setting].push(cpuMs);
          got[setting] = rate;
        }
        ratios.push(got.on! / got.off!);
      }
    } finally {
      for (const side of Object.values(sides)) {
        await side.swarm.stop();
        await side.server.stop();
      }
    }
  }
  const on = median(rates.on);
  const off = median(rates.off);
  const pairRatio = median(ratios);
  const cpuOn = median(cpus.on);
  const cpuOff = median(cpus.off);
  ctx.figures.set(`metrics.${store}.on`, on);
  ctx.figures.set(`metrics.${store}.off`, off);
  ctx.figures.set(`metrics.${store}.ratio`, pairRatio);
  ctx.figures.set(`metrics.${store}.cpu.on`, cpuOn);
  ctx.figures.set(`metrics.${store}.cpu.off`, cpuOff);
  const list = (values: number[], digits: number): string => values.map((v) => v.toFixed(digits)).join(', ');
  return [
    {
      section,
      measure: `exec throughput, ${CONCURRENCY} concurrent, metrics on (median of ${ratios.length} rounds of ${roundMs} ms, ${SERVER_PAIRS} server pairs)`,
      value: `${on.toFixed(0)}/s`,
      reference: `metrics off ${off.toFixed(0)}/s, interleaved (on/off per round: ${list(ratios, 2)})`,
      target: `≥ 97 % of off (median pair ${pairRatio.toFixed(3)}×)`,
      result: verdict(pairRatio >= 0.97),
    },
    {
      section,
      measure: `server CPU per exec in those rounds, metrics on (median of ${ratios.length})`,
      value: `${cpuOn.toFixed(3)} ms`,
      reference: `metrics off ${cpuOff.toFixed(3)} ms (on/off per round: ${list(
        cpus.on.map((c, i) => c / cpus.off[i]!),
        2,
      )})`,
      target: `report (${ratio(cpuOn, cpuOff)})`,
      result: '',
    },
  ];
}

async function startSide(ctx: BenchContext, store: Store, setting: Setting): Promise<Side> {
  const s = ctx.settings;
  const server = await startBenchServer(ctx, store, {
    launcher: 'bench',
    env: { BENCH_METRICS: setting },
  });
  let swarm: Swarm;
  try {
    swarm = await connectExecAgents(ctx, server.agentUrl);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const paths = Array.from({ length: s.execAgents }, (_, i) => `/api/nodes/sim-${i}/exec`);
  const scrape = async (): Promise<void> => {
    if (setting === 'off') return;
    const response = await fetch(`${server.base}/metrics`, {
      headers: { authorization: `Bearer ${ctx.token}` },
    });
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    await response.text();
  };
  return { server, swarm, paths, scrape };
}

async function measure(
  ctx: BenchContext,
  load: HttpLoad,
  side: Side,
  durationMs: number,
): Promise<{ rate: number; cpuMs: number }> {
  await side.scrape();
  const cpu0 = readCpuSeconds(side.server.pid);
  const r = await load.run({
    base: side.server.base,
    paths: side.paths,
    method: 'POST',
    body: EXEC_BODY,
    token: ctx.token,
    connections: CONCURRENCY,
    durationMs,
  });
  const cpuMs = ((readCpuSeconds(side.server.pid) - cpu0) * 1000) / Math.max(1, r.requests);
  if (r.failures > 0) throw new Error(`metrics cost: ${r.failures} of ${r.requests} execs failed`);
  await side.scrape();
  return { rate: r.perSecond, cpuMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
}
