import { writeFileSync } from 'node:fs';
import { EXEC_BODY } from '../exec-load.js';
import { connectExecAgents, startBenchServer } from '../bench-server.js';
import type { BenchContext } from '../context.js';
import type { HttpLoad } from '../load/http-load.js';
import { readCpuSeconds } from '../proc-stats.js';
import { ratio, verdict, type Row } from '../report.js';
import { freePort } from '../server-process.js';
import { median } from '../stats.js';
import type { Swarm } from '../swarm/swarm.js';

/**
 * Fresh processes, each holding both servers (one with metrics on, one off: `BENCH_TWIN_PORT`), and
 * rounds (one on, one off, the order swapped each time) per process. Two processes of one build differ
 * by up to 7 % in CPU per exec here (hash seeds, JIT, memory layout: an A/A run of two processes read
 * 0.92×), more than the 3 % to be shown; two servers in one process share all of that, so their ratio
 * is the metrics' own. Which of the two is created first, and which round goes first, alternate.
 */
const PROCESSES = 4;
/** Rounds per process and side: many short rounds average drift better than a few long ones. */
const ROUNDS = { quick: 8, full: 16 };
const ROUND_MS = 1000;
const CONCURRENCY = 64;

type Setting = 'on' | 'off';

/**
 * BENCH_PROFILE_WINDOWS=<file>: write there when each measured round ran (process id, on or off,
 * monotonic µs, execs), for bench/profile-windows.ts to split a `--cpu-prof` profile of the twin
 * processes into the on rounds and the off rounds.
 */
const windowsFile = process.env.BENCH_PROFILE_WINDOWS;
const windows: ProfileWindow[] | undefined = windowsFile ? [] : undefined;

export interface ProfileWindow {
  pid: number;
  role: Setting;
  startUs: number;
  endUs: number;
  requests: number;
}
type Store = 'memory' | 'sqlite';

/** One of the two servers of a process. */
interface Side {
  pid: number;
  base: string;
  paths: string[];
  scrape: () => Promise<void>;
}

/**
 * The cost of Prometheus metrics: exec throughput of a server with metrics on (the default, scraped
 * before and after every round as Prometheus would) next to a server with them off, both in one
 * process, loaded by the run's HTTP load generator. The rounds interleave (on, off, off, on, …),
 * short, after a warm-up round each, so that drift on a shared machine — which swings a 5 s round by
 * 20 % here — hits both alike; the verdict is the median of the rounds' ratios over `PROCESSES`
 * fresh processes. Target: on within 3 % of off.
 */
export async function metricsSection(
  ctx: BenchContext,
  load: HttpLoad,
  stores: readonly Store[] = ['memory', 'sqlite'],
  options: { aa?: boolean } = {},
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const store of stores) rows.push(...(await measureStore(ctx, load, store, options.aa === true)));
  if (windowsFile && windows) writeFileSync(windowsFile, JSON.stringify(windows));
  return rows;
}

/** The section for one job store: the memory store shows the metrics' cost most, SQLite is the default. */
/** `aa`: both sides off (calibration: the "on" side is a second metrics-off process). */
async function measureStore(ctx: BenchContext, load: HttpLoad, store: Store, aa: boolean): Promise<Row[]> {
  const section = `metrics cost (${store} job store${store === 'sqlite' ? ', the default' : ''})${
    aa ? ' — A/A CALIBRATION: both sides have metrics off' : ''
  }`;
  const roundMs = ROUND_MS;
  const rounds = Number(process.env.BENCH_METRICS_ROUNDS ?? (ctx.quick ? ROUNDS.quick : ROUNDS.full));
  const rates: Record<Setting, number[]> = { on: [], off: [] };
  const cpus: Record<Setting, number[]> = { on: [], off: [] };
  const ratios: number[] = [];
  for (let processIndex = 0; processIndex < PROCESSES; processIndex++) {
    // Which server is created first (the process's main port) alternates, like the rounds' order.
    const first: Setting = processIndex % 2 === 0 ? 'on' : 'off';
    const twin = await startTwin(ctx, store, aa ? 'off' : first, aa || first === 'on' ? 'off' : 'on');
    try {
      ctx.log(`${section}: process ${processIndex + 1} of ${PROCESSES}`);
      const sides: Record<Setting, Side> =
        first === 'on'
          ? { on: twin.sides[0], off: twin.sides[1] }
          : { on: twin.sides[1], off: twin.sides[0] };
      for (const side of twin.sides) await measure(ctx, load, side, roundMs);
      for (let round = 0; round < rounds; round++) {
        const order: Setting[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        const got: Partial<Record<Setting, number>> = {};
        for (const setting of order) {
          const { rate, cpuMs } = await measure(ctx, load, sides[setting], roundMs, setting);
          rates[setting].push(rate);
          cpus[setting].push(cpuMs);
          got[setting] = rate;
        }
        ratios.push(got.on! / got.off!);
      }
    } finally {
      await twin.stop();
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
      measure: `exec throughput, ${CONCURRENCY} concurrent, metrics on (median of ${ratios.length} rounds of ${roundMs} ms; ${PROCESSES} processes, each with both servers)`,
      value: `${on.toFixed(0)}/s`,
      reference: `metrics off ${off.toFixed(0)}/s, interleaved (on/off per round: ${list(ratios, 2)})`,
      target: `≥ 97 % of off (median round ${pairRatio.toFixed(3)}×)`,
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

/**
 * One server process holding two servers (bench/server-main.ts, BENCH_TWIN_PORT), and one simulator
 * process holding the agents of both (a simulator process of its own per server would bring back the
 * variance of two processes).
 */
async function startTwin(
  ctx: BenchContext,
  store: Store,
  main: Setting,
  second: Setting,
): Promise<{ sides: [Side, Side]; stop: () => Promise<void> }> {
  const twinPort = await freePort();
  const server = await startBenchServer(ctx, store, {
    launcher: 'bench',
    env: { BENCH_METRICS: main, BENCH_TWIN_PORT: String(twinPort), BENCH_TWIN_METRICS: second },
  });
  const twinBase = `http://127.0.0.1:${twinPort}`;
  let swarm: Swarm;
  try {
    swarm = await connectExecAgents(ctx, server.agentUrl, [`ws://127.0.0.1:${twinPort}/ws`]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    sides: [side(ctx, server.pid, server.base, main), side(ctx, server.pid, twinBase, second)],
    stop: async () => {
      await swarm.stop();
      await server.stop();
    },
  };
}

function side(ctx: BenchContext, pid: number, base: string, setting: Setting): Side {
  const paths = Array.from({ length: ctx.settings.execAgents }, (_, i) => `/api/nodes/sim-${i}/exec`);
  const scrape = async (): Promise<void> => {
    if (setting === 'off') return;
    const response = await fetch(`${base}/metrics`, {
      headers: { authorization: `Bearer ${ctx.token}` },
    });
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    await response.text();
  };
  return { pid, base, paths, scrape };
}

async function measure(
  ctx: BenchContext,
  load: HttpLoad,
  side: Side,
  durationMs: number,
  role?: Setting,
): Promise<{ rate: number; cpuMs: number }> {
  await side.scrape();
  const cpu0 = readCpuSeconds(side.pid);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const r = await load.run({
    base: side.base,
    paths: side.paths,
    method: 'POST',
    body: EXEC_BODY,
    token: ctx.token,
    connections: CONCURRENCY,
    durationMs,
  });
  const endUs = Number(process.hrtime.bigint() / 1000n);
  const cpuMs = ((readCpuSeconds(side.pid) - cpu0) * 1000) / Math.max(1, r.requests);
  if (role !== undefined) windows?.push({ pid: side.pid, role, startUs, endUs, requests: r.requests });
  if (r.failures > 0) throw new Error(`metrics cost: ${r.failures} of ${r.requests} execs failed`);
  await side.scrape();
  return { rate: r.perSecond, cpuMs };
}
