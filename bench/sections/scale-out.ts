import { CLUSTER_REAL_NODE, startClusterBed, type ClusterBed } from '../cluster-bed.js';
import {
  describeCommands,
  describeCost,
  meterCluster,
  throughputCounted,
  type ClusterCost,
} from '../cluster-meter.js';
import type { BenchContext } from '../context.js';
import { execLoad, type ExecLoad } from '../exec-load.js';
import { auditJobs, describeAudit } from '../job-audit.js';
import { readRss } from '../proc-stats.js';
import { measureProgressToSse } from '../progress-probe.js';
import { mib, ms, ratio, seconds, verdict, type Row } from '../report.js';
import { sequential, type Sequential } from '../stats.js';

const ADAPTERS = ['pubsub', 'streams'] as const;
/** Execs through the cluster before the first figure (see the warm-up in adapterRows). */
const WARM_UP_CALLS = 6000;
type Adapter = (typeof ADAPTERS)[number];

/**
 * The exec figures through two server processes and Redis, once per Socket.IO adapter: every agent
 * on process A, REST on B (the cross-process path) and on A (same process, Redis store), measured as
 * sections/exec.ts measures one process so the rows read against its memory-store figures.
 */
export async function scaleOutSection(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const adapter of ADAPTERS) {
    const section = `exec through two server processes and Redis (${adapter} adapter)`;
    try {
      rows.push(...(await adapterRows(ctx, adapter, section)));
    } catch (error) {
      // A failed run is a finding: keep the other adapter's figures and the rest of the table.
      const message = error instanceof Error ? error.message : String(error);
      ctx.log(`${section}: FAILED: ${message}`);
      rows.push({
        section,
        measure: `${adapter}: the run`,
        value: 'failed',
        reference: message.replace(/\s+/g, ' ').slice(0, 160),
        target: 'completes',
        result: 'MISS',
      });
    }
  }
  return rows;
}

async function adapterRows(ctx: BenchContext, adapter: Adapter, section: string): Promise<Row[]> {
  const s = ctx.settings;
  ctx.log(`${section}: Redis, processes A and B, ${s.execAgents + 1} agents on A`);
  const bed = await startClusterBed(ctx, adapter);
  const { a, b, redis } = bed;
  const pids = bed.pids();
  const load = (bases: string[], nodes: string[]): ExecLoad =>
    execLoad({ restBases: bases, token: ctx.token, nodeIds: nodes });
  const loads = {
    realB: load([b.base], [CLUSTER_REAL_NODE]),
    realA: load([a.base], [CLUSTER_REAL_NODE]),
    simB: load([b.base], bed.sims),
    simA: load([a.base], bed.sims),
    spread: load([a.base, b.base], bed.sims),
  };
  try {
    ctx.log(`${section}: idle for ${seconds(s.idleMs)}`);
    const [, idle] = await meterCluster(pids, redis, async () => {
      await new Promise((resolve) => setTimeout(resolve, s.idleMs));
      return { result: undefined, calls: 1 };
    });
    // Heartbeats and presence, taken out of the Redis commands counted per exec below.
    const background = idle.redisCommands / s.idleMs;
    const rssStart = { a: readRss(pids.a), b: readRss(pids.b) };
    ctx.log(`${section}: warm-up`);
    for (let i = 0; i < s.warmup; i++) {
      await loads.realB.exec();
      await loads.realA.exec();
      await loads.simB.exec();
      await loads.simA.exec();
      await loads.realB.health();
    }
    // Warm as the one-process rows are (sections/exec.ts): thousands of calls, so that the sequential
    // figures below measure optimised code. After 500 calls (the rounds above) a sequential exec through
    // B cost 2.5× its steady-state CPU; it settles after some 5,000.
    await callsAtLeast(WARM_UP_CALLS, 16, loads.spread.exec);
    await callsAtLeast(WARM_UP_CALLS / 5, 1, loads.realB.exec);
    await callsAtLeast(WARM_UP_CALLS / 5, 1, loads.realA.exec);
    ctx.log(`${section}: sequential round trips`);
    const timed = async (fn: () => Promise<void>): Promise<[Sequential, ClusterCost]> =>
      meterCluster(
        pids,
        redis,
        async () => ({ result: await sequential(s.sequential, fn), calls: s.sequential }),
        background,
      );
    const [healthB] = await timed(loads.realB.health);
    const [realB, costB] = await timed(loads.realB.exec);
    const [realA, costA] = await timed(loads.realA.exec);
    const [simB] = await timed(loads.simB.exec);
    const [simA] = await timed(loads.simA.exec);
    ctx.log(`${section}: progress event → SSE client on B and on A`);
    const probe = (restBase: string): Promise<Sequential> =>
      measureProgressToSse({
        agentUrl: a.agentUrl,
        restBase,
        token: ctx.token,
        count: s.sequential,
        warmup: s.warmup,
      });
    const sseB = await probe(b.base);
    const sseA = await probe(a.base);

    const one = (name: string): number | undefined => ctx.figures.get(`exec.memory.${name}`);
    const oneMs = (name: string): string => {
      const v = one(name);
      return v === undefined ? 'one process: not run' : `one process ${ms(v)}`;
    };
    const vsOne = (value: number, name: string): string => {
      const v = one(name);
      return v === undefined ? 'report' : `report (${ratio(value, v)} one process)`;
    };
    const pct = (cpuMs: number): string => `${((cpuMs / s.idleMs) * 100).toFixed(1)} %`;
    const rows: Row[] = [
      {
        section,
        measure: `${adapter}: CPU idle, ${s.execAgents + 1} agents on A (${seconds(s.idleMs)})`,
        value: pct(idle.total),
        reference:
          `A ${pct(idle.a)} + B ${pct(idle.b)} + Redis ${pct(idle.redis)} (% of one core); ` +
          `${(background * 1000).toFixed(1)} Redis commands/s (taken out of the counts per exec below)`,
        target: 'report',
        result: '',
      },
    ];
    const latency = (
      measure: string,
      p: 'p50' | 'p99',
      value: Sequential,
      refs: string[],
      oneName: string,
    ): void =>
      void rows.push({
        section,
        measure: `${adapter}: ${measure} ${p}`,
        value: ms(value[p]),
        reference: [...refs, oneMs(`${oneName}.${p}`)].join(' · '),
        target: vsOne(value[p], `${oneName}.${p}`),
        result: '',
      });
    for (const p of ['p50', 'p99'] as const) {
      latency(
        'exec, real agent on A, REST on B',
        p,
        realB,
        [`REST on A ${ms(realA[p])}`, `health on B ${ms(healthB[p])}`],
        'real',
      );
    }
    for (const p of ['p50', 'p99'] as const) {
      latency('exec, real agent on A, REST on A', p, realA, [`health on B ${ms(healthB[p])}`], 'real');
    }
    for (const p of ['p50', 'p99'] as const) {
      latency('exec, simulated agent on A, REST on B', p, simB, [`REST on A ${ms(simA[p])}`], 'sim');
    }
    const oneCpu = one('cpu');
    ctx.log(`${section}: Redis commands per exec, REST on B: ${describeCommands(costB)}`);
    ctx.log(`${section}: Redis commands per exec, REST on A: ${describeCommands(costA)}`);
    rows.push({
      section,
      measure: `${adapter}: CPU per sequential exec, REST on B`,
      value: `${costB.total.toFixed(2)} ms`,
      reference:
        `${describeCost(costB)} · REST on A ${costA.total.toFixed(2)} ms (${describeCost(costA)})` +
        (oneCpu === undefined ? '' : ` · one process ${oneCpu.toFixed(2)} ms`),
      target:
        `≤ 15 Redis commands (${costB.redisCommands.toFixed(1)})` +
        (oneCpu === undefined ? '' : `, ≤ 2× one process (${ratio(costB.total, oneCpu)})`),
      result: verdict(costB.redisCommands <= 15 && (oneCpu === undefined || costB.total <= 2 * oneCpu)),
    });
    for (const p of ['p50', 'p99'] as const) {
      latency('progress → SSE, agent on A, SSE on B', p, sseB, [`SSE on A ${ms(sseA[p])}`], 'sse');
    }

    for (const c of s.concurrency) {
      ctx.log(`${section}: throughput at concurrency ${c}, REST spread over A and B`);
      const [health] = await meterCluster(
        pids,
        redis,
        async () => {
          const r = await throughputCounted(c, s.throughputMs, loads.spread.health);
          return { result: r, calls: r.ok };
        },
        background,
      );
      const [execs, cost] = await meterCluster(
        pids,
        redis,
        async () => {
          const r = await throughputCounted(c, s.throughputMs, loads.spread.exec);
          return { result: r, calls: r.ok };
        },
        background,
      );
      if (execs.firstError) ctx.log(`${section}: ${execs.failed} exec failed, first: ${execs.firstError}`);
      const oneRate = one(`throughput.${c}`);
      rows.push({
        section,
        measure: `${adapter}: exec throughput, concurrency ${c}, ${s.execAgents} agents on A, REST on A+B`,
        value: `${execs.perS.toFixed(0)} /s`,
        reference:
          `${oneRate === undefined ? 'one process: not run' : `one process ${oneRate.toFixed(0)} /s`} · ` +
          `health on A+B ${health.perS.toFixed(0)} /s · CPU each ${cost.total.toFixed(2)} ms (${describeCost(cost)})` +
          (execs.failed > 0 ? ` · ${execs.failed} failed: ${execs.firstError?.slice(0, 120)}` : ''),
        target: `no failed exec${oneRate === undefined ? '' : ` (${ratio(execs.perS, oneRate)} one process)`}`,
        result: verdict(execs.failed === 0),
      });
    }

    rows.push(...(await afterRun(bed, adapter, section, rssStart, ctx)));
    return rows;
  } finally {
    for (const l of Object.values(loads)) l.close();
    await bed.close();
  }
}

/** What the run left behind: server and Redis memory, jobs that did not succeed, logged warnings. */
async function afterRun(
  bed: ClusterBed,
  adapter: Adapter,
  section: string,
  rssStart: { a: number; b: number },
  ctx: BenchContext,
): Promise<Row[]> {
  // Let the last store writes and pub/sub events land before the store is read.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pids = bed.pids();
  const memory = await bed.redis.info('memory');
  const keyspace = await bed.redis.info('keyspace');
  const keys = [...keyspace.values()].reduce((sum, v) => sum + Number(/keys=(\d+)/.exec(v)?.[1] ?? 0), 0);
  const audit = await auditJobs(bed.b.base, ctx.token);
  const unhappy = Object.values(audit).reduce((x, y) => x + y, 0);
  const logsA = bed.a.logs;
  const logsB = bed.b.logs;
  for (const line of [...logsA.first, ...logsB.first]) ctx.log(`${section}: server log: ${line}`);
  const logged = logsA.warnings + logsA.errors + logsB.warnings + logsB.errors;
  return [
    {
      section,
      measure: `${adapter}: server RSS A / B after the run`,
      value: `${mib(readRss(pids.a))} / ${mib(readRss(pids.b))}`,
      reference: `${mib(rssStart.a)} / ${mib(rssStart.b)} before the first exec`,
      target: 'report',
      result: '',
    },
    {
      section,
      measure: `${adapter}: Redis memory after the run`,
      value: mib(Number(memory.get('used_memory'))),
      reference: `peak ${mib(Number(memory.get('used_memory_peak')))}; ${keys.toLocaleString('en-US')} keys (job history and presence)`,
      target: 'report',
      result: '',
    },
    {
      section,
      measure: `${adapter}: jobs not succeeded; server warnings and errors logged`,
      value: `${unhappy} / ${logged}`,
      reference:
        `jobs: ${describeAudit(audit)}; logs: A ${logsA.warnings} warn ${logsA.errors} error, ` +
        `B ${logsB.warnings} warn ${logsB.errors} error`,
      target: 'none',
      result: verdict(unhappy === 0 && logged === 0),
    },
  ];
}

/** Run `fn` at `concurrency` until it has succeeded `calls` times; the first failure is thrown. */
async function callsAtLeast(calls: number, concurrency: number, fn: () => Promise<void>): Promise<void> {
  let left = calls;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left--;
        await fn();
      }
    }),
  );
}
