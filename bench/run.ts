/**
 * `npm run bench [-- --quick]`: exec round trip REST → server → agent → no-op action → back,
 * next to a bare GET /api/health on the same run (the HTTP floor). Server, agent and load
 * generator are three processes on loopback. Prints one table.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sequential, table, throughput } from './stats.js';

const quick = process.argv.includes('--quick');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const token = randomBytes(24).toString('base64url');
const SEQ = quick ? 300 : 2000;
const DURATION = quick ? 2000 : 6000;

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const a = s.address();
    s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
  });
});
const base = `http://127.0.0.1:${port}`;
const server = execa(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), 'server', 'start', '--host', '127.0.0.1', '--port', String(port)], {
  env: { OPENCLAW_NODE_TOKEN: token, OPENCLAW_LOG_LEVEL: 'warn' },
  reject: false,
});
const waitHealth = async () => {
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
};
await waitHealth();
const agent = execa(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench/noop-agent.ts')], {
  env: { BENCH_SERVER_URL: `ws://127.0.0.1:${port}/ws`, BENCH_TOKEN: token, OPENCLAW_LOG_LEVEL: 'warn' },
  reject: false,
});
await new Promise<void>((resolve, reject) => {
  agent.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
  void agent.then((r) => reject(new Error(`agent exited: ${r.stderr}`)));
});

const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const health = async () => {
  const r = await fetch(`${base}/api/health`);
  if (!r.ok) throw new Error(`health ${r.status}`);
  await r.arrayBuffer();
};
const body = JSON.stringify({ action: 'bench.noop', params: { n: 1 } });
const exec = async () => {
  const r = await fetch(`${base}/api/nodes/bench-1/exec`, { method: 'POST', headers, body });
  if (r.status !== 200) throw new Error(`exec ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
};

for (let i = 0; i < 200; i++) await exec(); // warm-up: JIT, connections
for (let i = 0; i < 200; i++) await health();

const seqHealth = await sequential(SEQ, health);
const seqExec = await sequential(SEQ, exec);
const rows = [
  ['measure', 'GET /api/health', 'exec (no-op)', 'exec / health'],
  ['sequential p50 (ms)', seqHealth.p50.toFixed(3), seqExec.p50.toFixed(3), (seqExec.p50 / seqHealth.p50).toFixed(2) + '×'],
  ['sequential p99 (ms)', seqHealth.p99.toFixed(3), seqExec.p99.toFixed(3), (seqExec.p99 / seqHealth.p99).toFixed(2) + '×'],
];
for (const concurrency of [1, 16, 64]) {
  const h = await throughput(concurrency, DURATION, health);
  const e = await throughput(concurrency, DURATION, exec);
  rows.push([`throughput c=${concurrency} (req/s)`, h.toFixed(0), e.toFixed(0), (e / h).toFixed(2) + '×']);
}
const serverRss = await execa('ps', ['-o', 'rss=', '-p', String(server.pid)]).then((r) => `${(Number(r.stdout.trim()) / 1024).toFixed(1)} MiB`).catch(() => 'n/a');

process.stdout.write(`\nOpenClaw Node benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${SEQ} sequential calls, ${DURATION / 1000}s per throughput run\n\n`);
process.stdout.write(table(rows) + '\n');
process.stdout.write(`\nserver RSS after the run: ${serverRss}\n`);

agent.kill('SIGTERM');
server.kill('SIGTERM');
await Promise.all([agent, server]);
