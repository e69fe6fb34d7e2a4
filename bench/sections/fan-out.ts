import type { BenchContext } from '../context.js';
import { readCpuSeconds } from '../proc-stats.js';
import { seconds, verdict, type Row } from '../report.js';
import type { ScaleRun } from './scale.js';

const BODY = (wait: boolean): string =>
  JSON.stringify({ target: { all: true }, action: 'explorer.ping', params: {}, wait });

/**
 * One `POST /api/exec` to every scale agent (`"target": {"all": true}`): with `"wait": false` the 202
 * comes once every job is stored and sent; with `"wait": true` the 200 comes once every job ended.
 */
export async function fanOutSection(ctx: BenchContext, run: ScaleRun): Promise<Row[]> {
  const { client, section, agents, server } = run;
  ctx.log(`${section}: fan-out to every agent`);
  const post = async (
    wait: boolean,
  ): Promise<{ ms: number; cpuMs: number; jobs: number; bad: number; why: string }> => {
    const cpu0 = readCpuSeconds(server.pid);
    const t0 = performance.now();
    const r = await client.post('/api/exec', BODY(wait));
    const elapsed = performance.now() - t0;
    const cpuMs = (readCpuSeconds(server.pid) - cpu0) * 1000;
    if (r.status !== (wait ? 200 : 202))
      throw new Error(`POST /api/exec: ${r.status} ${r.body.toString().slice(0, 300)}`);
    const body = JSON.parse(r.body.toString()) as {
      jobs: { state: string; error?: { code?: string } }[];
    };
    const failed = wait ? body.jobs.filter((j) => j.state !== 'succeeded') : [];
    const codes = new Map<string, number>();
    for (const j of failed) {
      const code = `${j.state} ${j.error?.code ?? ''}`.trim();
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    const why = [...codes].map(([code, n]) => `${code} ×${n}`).join(', ');
    return { ms: elapsed, cpuMs, jobs: body.jobs.length, bad: failed.length, why };
  };
  const sent = await post(false);
  // Let the first batch end before the second one is timed.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const ended = await post(true);
  const per10k = (ms: number): number => (ms * agents) / 10_000;
  const scaled = agents === 10_000 ? '' : ` (scaled to ${agents.toLocaleString('en-US')} agents)`;
  return [
    {
      section,
      measure: `fan-out to ${agents.toLocaleString('en-US')} agents: every job stored and sent (202)`,
      value: seconds(sent.ms),
      reference: `${sent.jobs.toLocaleString('en-US')} jobs; server CPU ${(sent.cpuMs / sent.jobs).toFixed(3)} ms per job`,
      target: `< ${seconds(per10k(2000))}${scaled}`,
      result: verdict(sent.jobs === agents && sent.ms < (2000 * agents) / 10_000),
    },
    {
      section,
      measure: `fan-out to ${agents.toLocaleString('en-US')} agents: every job ended (200, "wait": true)`,
      value: seconds(ended.ms),
      reference: `${ended.jobs.toLocaleString('en-US')} jobs, ${ended.bad} not succeeded${ended.why ? ` (${ended.why})` : ''}; server CPU ${(ended.cpuMs / ended.jobs).toFixed(3)} ms per job`,
      target: `< ${seconds(per10k(5000))}${scaled}, all succeeded`,
      result: verdict(ended.jobs === agents && ended.bad === 0 && ended.ms < (5000 * agents) / 10_000),
    },
  ];
}
