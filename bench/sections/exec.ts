import { EXEC_BODY } from '../exec-load.js';
import { connectExecAgents, startBenchServer } from '../bench-server.js';
import type { BenchContext } from '../context.js';
import { FloorProcess } from '../floor/floor-process.js';
import { measureSocketIoFloor } from '../floor/socketio-floor.js';
import type { HttpLoad, LoadResult } from '../load/http-load.js';
import { startNoopAgent, type NoopAgentProcess } from '../noop-agent-process.js';
import { readCpuSeconds } from '../proc-stats.js';
import type { ServerLogTally } from '../server-process.js';
import { medianOfRounds, type TargetFigures } from './exec-rounds.js';
import { measureProgressToSse } from '../progress-probe.js';
import { ms, ratio, verdict, type Row } from '../report.js';
import type { Sequential } from '../stats.js';
import type { Swarm } from '../swarm/swarm.js';

const REAL_NODE = 'bench-real';

export type ExecStore = 'memory' | 'sqlite';

/** A process that serves the exec path: the floor or the server. */
interface Target {
  base: string;
  agentUrl: string;
  pid: number;
  stop(): Promise<void>;
  /** The server's: warnings and errors it logged, and forgetting those of its start. */
  readonly logs?: ServerLogTally;
  clearLogs?(): void;
}

/**
 * Exec on one process: the floor (Koa + @koa/router + Socket.IO, REST → emitWithAck → reply, its
 * own process) and then the server with each job store, against the same agents (100 simulated ones
 * speaking the real protocol with `job:accepted`/`job:started`, one real agent with a no-op plugin)
 * and the same load generator. Every row reads against the floor of the same run.
 */
export async function execSection(ctx: BenchContext, load: HttpLoad, stores: ExecStore[]): Promise<Row[]> {
  const rounds = ctx.settings.execRounds;
  const floorRounds: TargetFigures[] = [];
  const storeRounds = new Map<ExecStore, TargetFigures[]>(stores.map((store) => [store, []]));
  for (let round = 1; round <= rounds; round++) {
    const of = rounds === 1 ? '' : ` (round ${round} of ${rounds})`;
    ctx.log(`exec: the floor (Koa + @koa/router + Socket.IO, own process)${of}`);
    floorRounds.push(await measureTarget(ctx, load, 'floor', () => FloorProcess.start(ctx.serverNodeArgs)));
    for (const store of stores) {
      ctx.log(`exec: the server, ${store} job store${of}`);
      storeRounds.get(store)!.push(await measureTarget(ctx, load, store, () => startBenchServer(ctx, store)));
    }
  }
  const floor = medianOfRounds(floorRounds);
  const ack = await measureSocketIoFloor(ctx.settings.sequential, ctx.settings.warmup);
  const rows: Row[] = floorRows(ctx, floor, ack);
  const byStore = new Map<ExecStore, TargetFigures>();
  for (const store of stores) {
    const f = medianOfRounds(storeRounds.get(store)!);
    byStore.set(store, f);
    noteFigures(ctx, store, f);
    rows.push(...storeRows(ctx, store, f, floor, byStore.get('memory')));
  }
  return rows;
}

async function measureTarget(
  ctx: BenchContext,
  load: HttpLoad,
  name: 'floor' | ExecStore,
  start: () => Promise<Target>,
): Promise<TargetFigures> {
  const s = ctx.settings;
  const target = await start();
  target.clearLogs?.();
  let swarm: Swarm | undefined;
  let agent: NoopAgentProcess | undefined;
  try {
    agent = await startNoopAgent({
      root: ctx.root,
      agentUrl: target.agentUrl,
      token: ctx.token,
      nodeId: REAL_NODE,
    });
    swarm = await connectExecAgents(ctx, target.agentUrl);
    const simPaths = Array.from({ length: s.execAgents }, (_, i) => `/api/nodes/sim-${i}/exec`);
    const realPath = [`/api/nodes/${REAL_NODE}/exec`];
    const run = async (
      paths: string[],
      connections: number,
      method: 'GET' | 'POST' = 'POST',
      durationMs = s.throughputMs,
    ): Promise<{ load: LoadResult; cpu: number }> => {
      const cpu0 = readCpuSeconds(target.pid);
      const r = await load.run({
        base: target.base,
        paths,
        method,
        ...(method === 'POST' ? { body: EXEC_BODY } : {}),
        token: ctx.token,
        connections,
        durationMs,
      });
      const cpu = ((readCpuSeconds(target.pid) - cpu0) * 1000) / Math.max(1, r.requests);
      if (r.failures > 0) {
        const said = target.logs?.first ?? [];
        throw new Error(
          `${name}: ${r.failures} of ${r.requests} requests to ${paths[0]}${paths.length > 1 ? ' …' : ''} failed` +
            (said.length > 0 ? `; the server logged:\n${said.join('\n')}` : ''),
        );
      }
      return { load: r, cpu };
    };
    ctx.log(`exec ${name}: warm-up`);
    await run(simPaths, 16, 'POST', s.warmupMs);
    await run(realPath, 1, 'POST', s.warmupMs);
    ctx.log(`exec ${name}: sequential`);
    const health = await run(['/api/health'], 1, 'GET', s.sequentialMs);
    const real = await run(realPath, 1, 'POST', s.sequentialMs);
    const sim = await run(simPaths, 1, 'POST', s.sequentialMs);
    const throughput = new Map<number, { load: LoadResult; cpu: number }>();
    for (const c of s.concurrency) {
      ctx.log(`exec ${name}: ${c} in flight`);
      throughput.set(c, await run(simPaths, c));
    }
    const sse =
      name === 'floor'
        ? undefined
        : await measureProgressToSse({
            agentUrl: target.agentUrl,
            restBase: target.base,
            token: ctx.token,
            count: s.sequential,
            warmup: s.warmup,
          });
    return {
      health: health.load,
      healthCpu: health.cpu,
      real: real.load,
      sim: sim.load,
      simCpu: sim.cpu,
      throughput,
      ...(sse ? { sse } : {}),
      ...(target.logs ? { serverLog: target.logs } : {}),
    };
  } finally {
    await swarm?.stop();
    await agent?.stop();
    await target.stop();
  }
}

function noteFigures(ctx: BenchContext, store: ExecStore, f: TargetFigures): void {
  const note = (name: string, value: number): void => void ctx.figures.set(`exec.${store}.${name}`, value);
  note('health.p50', f.health.p50);
  note('health.p99', f.health.p99);
  note('real.p50', f.real.p50);
  note('real.p99', f.real.p99);
  note('sim.p50', f.sim.p50);
  note('sim.p99', f.sim.p99);
  note('cpu', f.simCpu);
  if (f.sse) {
    note('sse.p50', f.sse.p50);
    note('sse.p99', f.sse.p99);
  }
  for (const [c, t] of f.throughput) {
    note(`throughput.${c}`, t.load.perSecond);
    note(`throughput.${c}.cpu`, t.cpu);
  }
}

const perS = (r: LoadResult): string => `${r.perSecond.toFixed(0)} /s`;

function floorRows(ctx: BenchContext, f: TargetFigures, ack: Sequential): Row[] {
  const section = 'exec floor: Koa + @koa/router + Socket.IO, REST → emitWithAck → reply (own process)';
  const row = (measure: string, value: string, reference: string): Row => ({
    section,
    measure,
    value,
    reference,
    target: 'reference',
    result: '',
  });
  return [
    row(
      'exec p50 / p99, sequential, simulated agents',
      `${ms(f.sim.p50)} / ${ms(f.sim.p99)}`,
      `GET /api/health ${ms(f.health.p50)} / ${ms(f.health.p99)} · bare Socket.IO ack ${ms(ack.p50)} / ${ms(ack.p99)}`,
    ),
    row('exec p50 / p99, sequential, real agent', `${ms(f.real.p50)} / ${ms(f.real.p99)}`, ''),
    row(
      'server CPU per sequential exec',
      `${f.simCpu.toFixed(3)} ms`,
      `GET /api/health ${f.healthCpu.toFixed(3)} ms`,
    ),
    ...[...f.throughput].map(([c, t]) =>
      row(
        `exec/s, ${c} in flight, ${ctx.settings.execAgents} agents (p99)`,
        `${perS(t.load)} (${ms(t.load.p99)})`,
        `server CPU ${t.cpu.toFixed(3)} ms each`,
      ),
    ),
  ];
}

function storeRows(
  ctx: BenchContext,
  store: ExecStore,
  f: TargetFigures,
  floor: TargetFigures,
  memory: TargetFigures | undefined,
): Row[] {
  const section = `exec on one server process (${store} job store${store === 'sqlite' ? ', the default' : ''}); reference: the floor of this run`;
  const rows: Row[] = [];
  const atMost = (measure: string, value: number, ref: number, limit: number, show = ms): void =>
    void rows.push({
      section,
      measure,
      value: show(value),
      reference: `floor ${show(ref)}`,
      target: `≤ ${limit}× floor (${ratio(value, ref)})`,
      result: verdict(value <= limit * ref),
    });
  atMost('exec p50, sequential, simulated agents', f.sim.p50, floor.sim.p50, 1.5);
  atMost('exec p99, sequential, simulated agents', f.sim.p99, floor.sim.p99, 2);
  rows.push({
    section,
    measure: 'exec p50 / p99, sequential, real agent',
    value: `${ms(f.real.p50)} / ${ms(f.real.p99)}`,
    reference: `floor ${ms(floor.real.p50)} / ${ms(floor.real.p99)}`,
    target: `report (${ratio(f.real.p50, floor.real.p50)} / ${ratio(f.real.p99, floor.real.p99)})`,
    result: '',
  });
  const cpuMs = (v: number): string => `${v.toFixed(3)} ms`;
  atMost('server CPU per sequential exec', f.simCpu, floor.simCpu, 2, cpuMs);
  const share = store === 'memory' ? 0.6 : 0.5;
  for (const [c, t] of f.throughput) {
    const ref = floor.throughput.get(c)!;
    const mem = store === 'sqlite' ? memory?.throughput.get(c) : undefined;
    const okFloor = t.load.perSecond >= share * ref.load.perSecond;
    const okMem = mem === undefined || t.load.perSecond >= 0.85 * mem.load.perSecond;
    rows.push({
      section,
      measure: `exec/s, ${c} in flight, ${ctx.settings.execAgents} agents`,
      value: perS(t.load),
      reference:
        `floor ${perS(ref.load)}` +
        (mem ? ` · memory store ${perS(mem.load)}` : '') +
        ` · server CPU ${t.cpu.toFixed(3)} vs floor ${ref.cpu.toFixed(3)} ms each`,
      target:
        `≥ ${share * 100} % floor (${ratio(t.load.perSecond, ref.load.perSecond)})` +
        (mem ? `, ≥ 85 % memory (${ratio(t.load.perSecond, mem.load.perSecond)})` : ''),
      result: verdict(okFloor && okMem),
    });
  }
  const at64 = f.throughput.get(64);
  const floor64 = floor.throughput.get(64);
  if (at64 && floor64) atMost('exec p99, 64 in flight', at64.load.p99, floor64.load.p99, 2);
  if (f.serverLog) {
    const { errors, warnings, first } = f.serverLog;
    // A figure measured while the server failed requests is no figure: say so next to it.
    for (const line of first) ctx.log(`exec ${store}: the server logged ${line}`);
    rows.push({
      section,
      measure: 'server log during the runs (warn and above)',
      value: `${errors} errors, ${warnings} warnings`,
      reference: '',
      target: 'no errors',
      result: verdict(errors === 0),
    });
  }
  if (f.sse) {
    rows.push({
      section,
      measure: 'progress event → SSE client p50 / p99',
      value: `${ms(f.sse.p50)} / ${ms(f.sse.p99)}`,
      reference: `exec p50 / p99 ${ms(f.real.p50)} / ${ms(f.real.p99)} (real agent)`,
      target: 'report',
      result: '',
    });
  }
  return rows;
}
