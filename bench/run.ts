/**
 * `npm run bench [-- --quick]`: the OpenClaw Node benchmark. Prints one table; each figure sits next
 * to its reference measured in the same run, with the target of issue 8 and pass/MISS.
 *
 * Processes (all on loopback, all sharing this machine's cores): the server (the built CLI, `openclaw
 * server start`), simulated agents in separate processes speaking the real protocol (bench/swarm), one
 * real agent with a no-op plugin (bench/noop-agent.ts), a bare Socket.IO echo server (the transport
 * floor), and this process as the HTTP load generator.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import type { BenchContext, BenchSettings } from './context.js';
import { machineFacts, renderTable, type Row } from './report.js';
import { httpLoad } from './load/http-load.js';
import { execSection } from './sections/exec.js';
import { scaleOutSection } from './sections/scale-out.js';
import { fanOutSection } from './sections/fan-out.js';
import { schemaSection } from './sections/schema.js';
import { storeSection } from './sections/store.js';
import { listSection, scaleSection } from './sections/scale.js';
import { stormSection } from './sections/storm.js';
import { metricsSection } from './sections/metrics.js';
import { serverFlags } from './server-process.js';

const SECTIONS = ['schema', 'store', 'exec', 'scale', 'fan-out', 'storm', 'scale-out', 'metrics'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    agents: { type: 'string' },
    rounds: { type: 'string' },
    simulators: { type: 'string' },
    only: { type: 'string' },
    stores: { type: 'string' },
    'metrics-a-a': { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
    cli: { type: 'boolean', default: false },
    'server-node-args': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [options]

  --quick            about four minutes: 2,000 agents, shorter runs, one exec round (the full run is longer)
  --agents <n>       simulated agents of the scale and storm figures (default 10000, --quick 2000)
  --rounds <n>       interleaved rounds of the exec section (floor, then each store, again), each
                     figure the median of its rounds (default 3, --quick 1)
  --simulators <n>   simulator processes to spread them over (default 2)
  --only <list>      comma-separated sections: ${SECTIONS.join(', ')} (scale runs fan-out after it; fan-out and storm need scale; scale-out needs redis-server on PATH)
  --stores <list>    job stores of the exec and metrics sections: memory,sqlite (default both; the
                     floor always runs)
  --metrics-a-a      calibrate the metrics section: both sides with metrics off (an A/A run), to see
                     what two processes of one build differ by on this machine
  --source           run the server from the sources (tsx) instead of the build
  --cli              start the server with \`openclaw server start\` (packages/cli) instead of
                     bench/server-main.ts; the CLI keeps the exec rate limit (600/min per token)
  --json <file>      also write the rows and machine facts as JSON
  --server-node-args=<flags>
                     node flags of the server processes, with "=" (flags start with a dash),
                     e.g. "--server-node-args=--cpu-prof --cpu-prof-dir=/tmp/prof"
`);
  process.exit(0);
}

const positive = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
};
const only = new Set<Section>(
  values.only === undefined
    ? SECTIONS
    : values.only.split(',').map((name) => {
        if (!(SECTIONS as readonly string[]).includes(name))
          throw new Error(`--only: unknown section ${name} (${SECTIONS.join(', ')})`);
        return name as Section;
      }),
);
if (only.has('storm') || only.has('fan-out')) only.add('scale');

const quick = values.quick;
const settings: BenchSettings = {
  sequential: quick ? 300 : 2000,
  warmup: quick ? 100 : 300,
  sequentialMs: quick ? 2000 : 5000,
  warmupMs: quick ? 1000 : 2000,
  throughputMs: quick ? 2000 : 5000,
  concurrency: [16, 64],
  execAgents: 100,
  execRounds: positive('rounds', values.rounds, quick ? 1 : 3),
  scaleAgents: positive('agents', values.agents, quick ? 2000 : 10_000),
  simulators: positive('simulators', values.simulators, 2),
  rampInFlight: 64,
  idleMs: quick ? 5000 : 10_000,
  listRequests: quick ? 50 : 200,
  deadlineMs: quick ? 60_000 : 180_000,
};
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const ctx: BenchContext = {
  root,
  token: randomBytes(24).toString('base64url'),
  quick,
  fromSource: values.source,
  launcher: values.cli ? 'cli' : 'bench',
  serverNodeArgs: values['server-node-args']?.split(' ').filter(Boolean) ?? [],
  flags: await serverFlags(root, values.source),
  settings,
  figures: new Map(),
  log: (message) =>
    process.stderr.write(
      `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`,
    ),
};

async function redisVersion(): Promise<string> {
  const r = await execa('redis-server', ['--version'], { reject: false });
  return /v=(\S+)/.exec(r.stdout)?.[0].replace('v=', 'redis-server ') ?? 'redis-server (version unknown)';
}

const stores = (values.stores ?? 'memory,sqlite').split(',').map((name) => {
  if (name !== 'memory' && name !== 'sqlite')
    throw new Error(`--stores: unknown store ${name} (memory, sqlite)`);
  return name;
});
const facts = machineFacts();
const load = await httpLoad();
const rows: Row[] = [];
if (only.has('schema')) rows.push(...schemaSection(quick));
if (only.has('store')) rows.push(...(await storeSection(quick, (message) => ctx.log(message))));
if (only.has('exec')) {
  const chosen = ctx.launcher === 'bench' || ctx.flags.store ? stores : stores.slice(0, 1);
  rows.push(...(await execSection(ctx, load, chosen)));
}
if (only.has('scale')) {
  const { run, rows: scaleRows } = await scaleSection(ctx);
  try {
    rows.push(...scaleRows);
    rows.push(...(await listSection(ctx, run)));
    rows.push(...(await fanOutSection(ctx, run)));
    if (only.has('storm')) rows.push(...(await stormSection(ctx, run)));
  } finally {
    await run.close();
  }
}
if (only.has('scale-out')) rows.push(...(await scaleOutSection(ctx)));
if (only.has('metrics'))
  rows.push(...(await metricsSection(ctx, load, stores, { aa: values['metrics-a-a'] })));

const build = ctx.fromSource ? 'sources via tsx' : 'the build (dist)';
const header = [
  `OpenClaw Node benchmark${quick ? ' (--quick: fewer agents, shorter runs — not the issue-8 figures)' : ''}`,
  ...facts,
  `load average at the end ${loadavg()[0]!.toFixed(2)} (1 min): other work on this machine skews wall-clock figures`,
  ctx.launcher === 'bench'
    ? `server: one process, bench/server-main.ts = createServer from ${build}, exec rate limit off`
    : `server: one process, openclaw server start from ${build}`,
  ...(only.has('scale-out')
    ? [
        `scale-out: per adapter, ${await redisVersion()} on loopback (AOF, appendfsync everysec) and two server ` +
          `processes started as above in cluster mode (default heartbeats and timeouts); every agent on A`,
      ]
    : []),
  `clients: ${settings.simulators} simulator processes (socket.io-client, websocket only) for the scale figures, ` +
    `1 for the ${settings.execAgents} exec agents, 1 real agent — all on the same ${cpus().length} cores as the server`,
  `exec load generator: ${load.name}; exec floor: bench/floor/floor-server.ts in its own process, same agents`,
  `sequential exec runs of ${settings.sequentialMs / 1000} s (one connection); throughput runs of ${settings.throughputMs / 1000} s; ` +
    `exec figures: the median of ${settings.execRounds} interleaved round${settings.execRounds === 1 ? '' : 's'} (floor, then each store); ` +
    `took ${((performance.now() - started) / 1000).toFixed(0)} s`,
];
process.stdout.write(`\n${header.join('\n')}\n\n${renderTable(rows)}\n`);
if (values.json) {
  writeFileSync(values.json, JSON.stringify({ header, settings, rows }, null, 2));
}
const missed = rows.filter((r) => r.result === 'MISS').length;
process.stdout.write(`\n${missed === 0 ? 'every target met' : `${missed} target(s) missed`}\n`);
