import { startBenchServer } from '../bench-server.js';
import type { BenchContext } from '../context.js';
import { FloorProcess } from '../floor/floor-process.js';
import { HttpClient, type HttpAnswer } from '../http-client.js';
import { measureCpu, readCpuSeconds, readRss } from '../proc-stats.js';
import { kib, mib, ms, seconds, verdict, type Row } from '../report.js';
import type { ServerProcess } from '../server-process.js';
import { percentile, sequential } from '../stats.js';
import { simulatedHello } from '../swarm/hello.js';
import { describe, Swarm } from '../swarm/swarm.js';

/** A server with N simulated agents registered: what the list and storm figures run against. */
export interface ScaleRun {
  server: ServerProcess;
  swarm: Swarm;
  client: HttpClient;
  agents: number;
  section: string;
  close(): Promise<void>;
}

/** Poll /api/health until `nodes_connected` reaches `count`; the elapsed ms since `since`. */
export async function waitForNodes(
  client: HttpClient,
  count: number,
  since: number,
  deadlineMs: number,
  swarm: Swarm,
): Promise<number> {
  for (;;) {
    const r = await client.get('/api/health').catch(() => undefined);
    if (r?.status === 200) {
      const { nodes_connected } = JSON.parse(r.body.toString()) as { nodes_connected: number };
      if (nodes_connected >= count) return performance.now() - since;
    }
    if (performance.now() - since > deadlineMs) {
      throw new Error(
        `${count} nodes not registered within ${seconds(deadlineMs)} (${describe(swarm.progress)})`,
      );
    }
    // Surfaces a simulator that crashed.
    await swarm.waitFor(() => true, 1000, 'simulators alive');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The scale figures' simulated agents (`ws-0` …), spread over the simulator processes, not yet
 * connected. `pluginRefs: false`: full hellos, as agents before manifests by ref sent them.
 */
function spawnScaleAgents(ctx: BenchContext, agentUrl: string, n: number, pluginRefs = true): Promise<Swarm> {
  return Swarm.spawn({
    serverUrl: agentUrl,
    token: ctx.token,
    count: n,
    processes: ctx.settings.simulators,
    idPrefix: 'ws-',
    hello: simulatedHello({ bench: false }),
    rampInFlight: ctx.settings.rampInFlight,
    pluginRefs,
  });
}

/**
 * Register `n` simulated agents that send their manifests in full (as agents did before manifests by
 * ref) with a fresh server of their own: the time and CPU per hello the protocol change saves.
 */
async function fullHelloRegistration(ctx: BenchContext, n: number): Promise<Registration> {
  const server = await startBenchServer(ctx, 'memory');
  const client = new HttpClient(server.base, { token: ctx.token, maxSockets: 4 });
  let swarm: Swarm | undefined;
  try {
    swarm = await spawnScaleAgents(ctx, server.agentUrl, n, false);
    ctx.log(`full hellos: registering ${n.toLocaleString('en-US')} agents sending their manifests in full`);
    const agents = swarm;
    return await timeRegistration(server.pid, n, agents, (t0) =>
      waitForNodes(client, n, t0, ctx.settings.deadlineMs, agents),
    );
  } finally {
    client.close();
    await swarm?.stop();
    await server.stop();
  }
}

/** Time and CPU of `pid` per agent while `swarm` connects and `registered` (given the start) resolves. */
async function timeRegistration(
  pid: number,
  n: number,
  swarm: Swarm,
  registered: (t0: number) => Promise<unknown>,
): Promise<Registration> {
  const cpu0 = readCpuSeconds(pid);
  const t0 = performance.now();
  swarm.connect();
  await registered(t0);
  const ms = performance.now() - t0;
  return { ms, cpuPerHelloMs: ((readCpuSeconds(pid) - cpu0) * 1000) / n };
}

interface Registration {
  ms: number;
  cpuPerHelloMs: number;
}

/** Register `n` simulated agents with the bare Socket.IO floor: its time and CPU per hello. */
async function floorRegistration(ctx: BenchContext, n: number): Promise<Registration> {
  const s = ctx.settings;
  const floor = await FloorProcess.start(ctx.serverNodeArgs);
  let swarm: Swarm | undefined;
  try {
    swarm = await spawnScaleAgents(ctx, floor.agentUrl, n);
    ctx.log(`bare Socket.IO floor: registering ${n.toLocaleString('en-US')} agents (the hello reference)`);
    const agents = swarm;
    return await timeRegistration(floor.pid, n, agents, () =>
      agents.waitFor((p) => p.registered >= n, s.deadlineMs, `${n} agents registered on the floor`),
    );
  } finally {
    await swarm?.stop();
    await floor.stop();
  }
}

/**
 * A fresh server (`--store memory` when the CLI has it), then N simulated agents each advertising the
 * five built-in manifests: time to register all, server RSS per connection, idle CPU. The same agents
 * first register with the bare Socket.IO floor (bench/floor/floor-server.ts: connect, handshake and a
 * hello acked at once, nothing checked or kept), the reference of the registration rows.
 */
export async function scaleSection(ctx: BenchContext): Promise<{ run: ScaleRun; rows: Row[] }> {
  const s = ctx.settings;
  const n = s.scaleAgents;
  const section = `${n.toLocaleString('en-US')} simulated agents on one server process`;
  const floor = await floorRegistration(ctx, n);
  const full = await fullHelloRegistration(ctx, n);
  const server = await startBenchServer(ctx, 'memory');
  const client = new HttpClient(server.base, { token: ctx.token, maxSockets: 4 });
  let swarm: Swarm | undefined;
  try {
    for (let i = 0; i < 50; i++) await client.ok('/api/health');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssBefore = readRss(server.pid);
    const idleEmpty = await measureCpu(server.pid, Math.min(5000, s.idleMs));

    swarm = await spawnScaleAgents(ctx, server.agentUrl, n);
    ctx.log(
      `${section}: registering (${s.simulators} simulator processes, ${s.rampInFlight} connects in flight each)`,
    );
    const cpu0 = readCpuSeconds(server.pid);
    const simCpu0 = swarm.pids.reduce((sum, pid) => sum + readCpuSeconds(pid), 0);
    const t0 = performance.now();
    swarm.connect();
    const registerMs = await waitForNodes(client, n, t0, s.deadlineMs, swarm);
    const cpuPerHelloMs = ((readCpuSeconds(server.pid) - cpu0) * 1000) / n;
    const simCpuPerAgentMs =
      ((swarm.pids.reduce((sum, pid) => sum + readCpuSeconds(pid), 0) - simCpu0) * 1000) / n;
    const rssRegistered = readRss(server.pid);
    ctx.log(`${section}: all registered in ${seconds(registerMs)}; idle CPU over ${seconds(s.idleMs)}`);
    const idleFull = await measureCpu(server.pid, s.idleMs);
    const rssAfter = readRss(server.pid);
    const perConnection = (rssAfter - rssBefore) / n;

    const run: ScaleRun = {
      server,
      swarm,
      client,
      agents: n,
      section,
      async close() {
        client.close();
        await swarm?.stop();
        await server.stop();
      },
    };
    const rows: Row[] = [
      {
        section,
        measure: `time to register ${n.toLocaleString('en-US')} agents`,
        value: seconds(registerMs),
        reference:
          `${((n / registerMs) * 1000).toFixed(0)} hellos/s; simulators ${simCpuPerAgentMs.toFixed(2)} ms CPU per agent; ` +
          `manifests in full ${seconds(full.ms)}; bare Socket.IO floor ${seconds(floor.ms)}`,
        target: n >= 10_000 ? '< 10 s' : `< ${((10 * n) / 10_000).toFixed(1)} s (10 s per 10,000)`,
        result: verdict(registerMs < (10_000 * n) / 10_000),
      },
      {
        section,
        measure: 'server CPU per hello (connect, handshake, hello, registration)',
        value: `${cpuPerHelloMs.toFixed(2)} ms`,
        reference:
          `manifests in full ${full.cpuPerHelloMs.toFixed(2)} ms; bare Socket.IO floor ${floor.cpuPerHelloMs.toFixed(2)} ms; ` +
          `simulators ${simCpuPerAgentMs.toFixed(2)} ms per agent`,
        target: '≤ 0.5 ms',
        result: verdict(cpuPerHelloMs <= 0.5),
      },
      {
        section,
        measure: 'server RSS per connection',
        value: kib(perConnection),
        reference: `RSS ${mib(rssBefore)} empty → ${mib(rssRegistered)} registered → ${mib(rssAfter)} after idle`,
        target: '< 50 KB',
        result: verdict(perConnection < 50 * 1024),
      },
      {
        section,
        measure: `server CPU, idle, all connected (${seconds(s.idleMs)})`,
        value: `${idleFull.toFixed(1)} %`,
        reference: `${idleEmpty.toFixed(1)} % with no agents (% of one core)`,
        target: 'report',
        result: '',
      },
    ];
    return { run, rows };
  } catch (error) {
    client.close();
    await swarm?.stop();
    await server.stop();
    throw error;
  }
}

/** `/api/plugins` and `/api/nodes` latency with every scale agent listed, next to /api/health. */
export async function listSection(ctx: BenchContext, run: ScaleRun): Promise<Row[]> {
  const count = ctx.settings.listRequests;
  const { client, section } = run;
  ctx.log(`${section}: list latency`);
  // Warm-up builds whatever the server caches; the last answers give the sizes.
  let pluginsAnswer = await client.ok('/api/plugins');
  let nodesAnswer = await client.ok('/api/nodes');
  for (let i = 0; i < 10; i++) {
    pluginsAnswer = await client.ok('/api/plugins');
    nodesAnswer = await client.ok('/api/nodes');
  }
  const nodeCount = (JSON.parse(nodesAnswer.body.toString()) as { count: number }).count;
  if (nodeCount < run.agents) throw new Error(`/api/nodes lists ${nodeCount} nodes, not ${run.agents}`);
  const health = await sequential(count, async () => void (await client.ok('/api/health')));
  const plugins = await sequential(count, async () => void (await client.ok('/api/plugins')));
  const nodes = await sequential(count, async () => void (await client.ok('/api/nodes')));
  const size = (a: HttpAnswer): string =>
    `${(a.body.length / 1e6).toFixed(1)} MB` +
    (a.wireBytes < a.body.length ? `, ${(a.wireBytes / 1e6).toFixed(2)} MB ${a.encoding}` : '');
  const row = (what: string, answer: HttpAnswer, r: { p50: number; p99: number }): Row => ({
    section,
    measure: `GET ${what} p50 / p99 (${size(answer)})`,
    value: `${ms(r.p50)} / ${ms(r.p99)}`,
    reference: `GET /api/health ${ms(health.p50)} / ${ms(health.p99)}`,
    target: 'p50 < 20 ms',
    result: verdict(r.p50 < 20),
  });
  // The node list is served as it is for up to a second: what a poll every few seconds pays.
  const spaced: number[] = [];
  for (let i = 0; i < (ctx.quick ? 4 : 10); i++) {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const t0 = performance.now();
    await client.ok('/api/nodes');
    spaced.push(performance.now() - t0);
  }
  const spacedP50 = percentile(
    spaced.sort((a, b) => a - b),
    50,
  );
  return [
    row('/api/plugins', pluginsAnswer, plugins),
    row('/api/nodes', nodesAnswer, nodes),
    {
      section,
      measure: 'GET /api/nodes p50, 1.1 s apart (list rendered anew each time)',
      value: ms(spacedP50),
      reference: `GET /api/health ${ms(health.p50)}`,
      target: 'p50 < 20 ms',
      result: verdict(spacedP50 < 20),
    },
  ];
}
