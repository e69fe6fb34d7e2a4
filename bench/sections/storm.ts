import type { BenchContext } from '../context.js';
import { ProcSampler, readCpuSeconds, readRss } from '../proc-stats.js';
import { describe } from '../swarm/swarm.js';
import { mib, seconds, verdict, type Row } from '../report.js';
import { waitForNodes, type ScaleRun } from './scale.js';

/**
 * The reconnect storm: SIGKILL the server under every scale agent, start a new process on the same
 * port at once, and time until every agent is registered again. Agents retry with the real agent's
 * jittered backoff (1 s doubling to 60 s, ±50 %); none may give up.
 */
export async function stormSection(ctx: BenchContext, run: ScaleRun): Promise<Row[]> {
  const { server, swarm, client, agents, section } = run;
  const before = swarm.progress;
  const rssBefore = readRss(server.pid);
  ctx.log(`${section}: reconnect storm (SIGKILL, restart on the same port)`);
  const t0 = performance.now();
  await server.kill('SIGKILL');
  const restarting = server.restart();
  const sampler = new ProcSampler(server.pid, { intervalMs: 100, windowMs: 1000 });
  let restartMs = Number.NaN;
  let backMs: number;
  let cpuAtStart = 0;
  try {
    await restarting;
    cpuAtStart = readCpuSeconds(server.pid);
    restartMs = performance.now() - t0;
    backMs = await waitForNodes(client, agents, t0, ctx.settings.deadlineMs, swarm);
    // Every simulator must see its agents registered too (their counters arrive every 200 ms).
    await swarm.waitFor((p) => p.registered === agents, 10_000, 'simulators registered again');
  } finally {
    sampler.stop();
  }
  const stormCpuS = readCpuSeconds(server.pid) - cpuAtStart;
  ctx.log(`${section}: storm over (${describe(swarm.progress)})`);
  const after = swarm.progress;
  const peakRss = Math.max(sampler.peakRss, readRss(server.pid, 'VmHWM'));
  const giveUps = after.giveUps - before.giveUps;
  const retries = after.connectErrors - before.connectErrors + (after.helloFailures - before.helloFailures);
  return [
    {
      section,
      measure: 'reconnect storm: kill → all registered again',
      value: seconds(backMs),
      reference: `new process answering in ${seconds(restartMs)}; ${retries.toLocaleString('en-US')} retried attempts`,
      target: '< 60 s',
      result: verdict(backMs < 60_000),
    },
    {
      section,
      measure: 'reconnect storm: peak server CPU (1 s window)',
      value: `${sampler.peakCpu.toFixed(0)} %`,
      reference: `% of one core; ${stormCpuS.toFixed(1)} s of server CPU from answering to all back`,
      target: 'report',
      result: '',
    },
    {
      section,
      measure: 'reconnect storm: peak server RSS',
      value: mib(peakRss),
      reference: `${mib(rssBefore)} before the kill`,
      target: 'report',
      result: '',
    },
    {
      section,
      measure: 'reconnect storm: agents that gave up',
      value: String(giveUps),
      reference: `longest backoff drawn ${seconds(after.maxDelayMs)}`,
      target: '0',
      result: verdict(giveUps === 0),
    },
  ];
}
