import type { BenchContext } from '../context.js';
import { execLoad } from '../exec-load.js';
import { startNoopAgent, type NoopAgentProcess } from '../noop-agent-process.js';
import { measureSocketIoFloor } from '../floor/socketio-floor.js';
import { readCpuSeconds } from '../proc-stats.js';
import { measureProgressToSse } from '../progress-probe.js';
import { ms, ratio, verdict, type Row } from '../report.js';
import { freePort, ServerProcess } from '../server-process.js';
import { sequential, throughput } from '../stats.js';
import { simulatedHello } from '../swarm/hello.js';
import { Swarm } from '../swarm/swarm.js';

const REAL_NODE = 'bench-real';

/**
 * Exec round trip and throughput on one server process, each next to the HTTP floor (GET
 * /api/health) and, for latency, the Socket.IO floor. `store` picks `--store` when the CLI has it.
 */
export async function execSection(ctx: BenchContext, store: 'memory' | 'sqlite'): Promise<Row[]> {
  const s = ctx.settings;
  const chosen = ctx.launcher === 'bench' || ctx.flags.store;
  const section = `exec on one server process (${chosen ? `${store} job store` : 'default job store'})`;
  const server = await ServerProcess.start(
    {
      root: ctx.root,
      port: await freePort(),
      token: ctx.token,
      store,
      fromSource: ctx.fromSource,
      launcher: ctx.launcher,
      nodeArgs: ctx.serverNodeArgs,
    },
    ctx.flags,
  );
  let swarm: Swarm | undefined;
  const sims = Array.from({ length: s.execAgents }, (_, i) => `sim-${i}`);
  const real = execLoad({ restBases: [server.base], token: ctx.token, nodeIds: [REAL_NODE] });
  const spread = execLoad({ restBases: [server.base], token: ctx.token, nodeIds: sims });
  let agent: NoopAgentProcess | undefined;
  try {
    agent = await startNoopAgent({
      root: ctx.root,
      agentUrl: server.agentUrl,
      token: ctx.token,
      nodeId: REAL_NODE,
    });
    swarm = await Swarm.spawn({
      serverUrl: server.agentUrl,
      token: ctx.token,
      count: s.execAgents,
      processes: 1,
      idPrefix: 'sim-',
      hello: simulatedHello({ bench: true }),
    });
    swarm.connect();
    await swarm.waitFor((p) => p.registered === s.execAgents, 60_000, 'exec agents registered');

    ctx.log(`${section}: warm-up`);
    for (let i = 0; i < s.warmup; i++) {
      await real.exec();
      await spread.exec();
      await real.health();
    }
    ctx.log(`${section}: sequential round trips`);
    // Server CPU per call (user + system, all threads): what other work on the machine cannot inflate much.
    const cpuPerCall = async <T>(calls: number, run: () => Promise<T>): Promise<[T, number]> => {
      const cpu0 = readCpuSeconds(server.pid);
      const result = await run();
      return [result, ((readCpuSeconds(server.pid) - cpu0) * 1000) / calls];
    };
    const [health, healthCpu] = await cpuPerCall(s.sequential, () => sequential(s.sequential, real.health));
    const floor = await measureSocketIoFloor(s.sequential, s.warmup);
    const [viaAgent, execCpu] = await cpuPerCall(s.sequential, () => sequential(s.sequential, real.exec));
    const viaSim = await sequential(s.sequential, spread.exec);
    ctx.log(`${section}: progress event → SSE client`);
    const sse = await measureProgressToSse({
      agentUrl: server.agentUrl,
      restBase: server.base,
      token: ctx.token,
      count: s.sequential,
      warmup: s.warmup,
    });
    const note = (name: string, value: number): void => void ctx.figures.set(`exec.${store}.${name}`, value);
    note('health.p50', health.p50);
    note('health.p99', health.p99);
    note('real.p50', viaAgent.p50);
    note('real.p99', viaAgent.p99);
    note('sim.p50', viaSim.p50);
    note('sim.p99', viaSim.p99);
    note('cpu', execCpu);
    note('sse.p50', sse.p50);
    note('sse.p99', sse.p99);
    const refs = (p: 'p50' | 'p99'): string =>
      `GET /api/health ${ms(health[p])} · bare Socket.IO ack ${ms(floor[p])}`;
    const rows: Row[] = [
      {
        section,
        measure: 'exec round trip p50, real agent',
        value: ms(viaAgent.p50),
        reference: refs('p50'),
        target: `≤ 2× health (${ratio(viaAgent.p50, health.p50)})`,
        result: verdict(viaAgent.p50 <= 2 * health.p50),
      },
      {
        section,
        measure: 'exec round trip p99, real agent',
        value: ms(viaAgent.p99),
        reference: refs('p99'),
        target: `report (${ratio(viaAgent.p99, health.p99)} health)`,
        result: '',
      },
      {
        section,
        measure: 'exec round trip p50, simulated agent',
        value: ms(viaSim.p50),
        reference: refs('p50'),
        target: `≤ 2× health (${ratio(viaSim.p50, health.p50)})`,
        result: verdict(viaSim.p50 <= 2 * health.p50),
      },
      {
        section,
        measure: 'exec round trip p99, simulated agent',
        value: ms(viaSim.p99),
        reference: refs('p99'),
        target: `report (${ratio(viaSim.p99, health.p99)} health)`,
        result: '',
      },
    ];
    rows.push({
      section,
      measure: 'progress event → SSE client p50 / p99',
      value: `${ms(sse.p50)} / ${ms(sse.p99)}`,
      reference: `exec round trip ${ms(viaAgent.p50)} / ${ms(viaAgent.p99)} (real agent)`,
      target: 'report',
      result: '',
    });
    rows.push({
      section,
      measure: 'server CPU per sequential call',
      value: `${execCpu.toFixed(2)} ms`,
      reference: `GET /api/health ${healthCpu.toFixed(2)} ms`,
      target: `report (${ratio(execCpu, healthCpu)} health)`,
      result: '',
    });
    for (const c of s.concurrency) {
      ctx.log(`${section}: throughput at concurrency ${c}`);
      const rate = async (fn: () => Promise<void>): Promise<[number, number]> => {
        let calls = 0;
        const [perS, cpu] = await cpuPerCall(1, () =>
          throughput(c, s.throughputMs, async () => {
            await fn();
            calls++;
          }),
        );
        return [perS, cpu / calls];
      };
      const [h, hCpu] = await rate(spread.health);
      const [e, eCpu] = await rate(spread.exec);
      note(`throughput.${c}`, e);
      note(`throughput.${c}.cpu`, eCpu);
      rows.push({
        section,
        measure: `exec throughput, concurrency ${c}, ${s.execAgents} agents`,
        value: `${e.toFixed(0)} /s`,
        reference: `GET /api/health ${h.toFixed(0)} /s; server CPU ${eCpu.toFixed(2)} vs ${hCpu.toFixed(2)} ms each`,
        target: `report (${ratio(e, h)} health)`,
        result: '',
      });
    }
    return rows;
  } finally {
    real.close();
    spread.close();
    await swarm?.stop();
    await agent?.stop();
    await server.stop();
  }
}
