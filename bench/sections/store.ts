import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryJobStore, SqliteJobStore, type JobStore } from '@openclaw-node/server';
import { ratio, type Row } from '../report.js';

type StoreName = 'memory' | 'sqlite';

interface StoreRun {
  /** CPU of this process (the store's thread and its checkpoint thread) per job, µs. */
  cpuUs: number;
  /** Wall time per job, µs. */
  wallUs: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/**
 * `count` short jobs as an exec makes them (created running with awaits_end and an id minted for
 * them, ended succeeded in a later turn), `inFlight` at a time, ids time-ordered like the server's.
 */
async function runJobs(store: JobStore, count: number, inFlight: number): Promise<StoreRun> {
  const prefix = Date.now().toString(16).padStart(12, '0');
  let next = 0;
  const one = async (): Promise<void> => {
    const n = next++;
    const id = `${prefix.slice(0, 8)}-${prefix.slice(8)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
    await store.create({
      command_id: id,
      node_id: `sim-${n % 100}`,
      action: 'bench.noop',
      params: { n: 1 },
      requested_by: 'bench',
      state: 'running',
      awaits_end: true,
      minted_id: true,
    });
    await new Promise((resolve) => setImmediate(resolve));
    await store.transition(id, 'succeeded', { result: { ok: true } });
  };
  const worker = async (jobs: number): Promise<void> => {
    for (let i = 0; i < jobs; i++) await one();
  };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => worker(Math.floor(count / inFlight))));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const done = Math.floor(count / inFlight) * inFlight;
  return { cpuUs: (cpu.user + cpu.system) / done, wallUs: (wallMs * 1000) / done };
}

async function measureStore(name: StoreName, count: number, inFlight: number): Promise<StoreRun> {
  if (name === 'memory') return runJobs(new MemoryJobStore(), count, inFlight);
  const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-bench-store-'));
  const store = await SqliteJobStore.open({ dataDir: dir });
  try {
    // A first batch opens the file's pages and starts the checkpoint thread outside the figure.
    await runJobs(store, 200, inFlight);
    return await runJobs(store, count, inFlight);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The job stores alone, in this process: what a short job costs the default SQLite store (its
 * statements, COMMITs and checkpoint thread) against the memory store, without the HTTP, Socket.IO and
 * agents around them whose noise hides it in the exec rows. Rounds alternate the stores; medians.
 */
export async function storeSection(quick: boolean, log: (message: string) => void): Promise<Row[]> {
  const rounds = quick ? 3 : 5;
  const rows: Row[] = [];
  const section = 'job store alone, short jobs as an exec makes them (this process, medians of rounds)';
  for (const [inFlight, count] of [
    [16, quick ? 8_000 : 30_000],
    [1, quick ? 2_000 : 8_000],
  ] as const) {
    log(`job store alone: ${inFlight} in flight`);
    const runs: Record<StoreName, StoreRun[]> = { memory: [], sqlite: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of ['memory', 'sqlite'] as const)
        runs[name].push(await measureStore(name, count, inFlight));
    }
    const cpu = (name: StoreName) => median(runs[name].map((r) => r.cpuUs));
    const wall = (name: StoreName) => median(runs[name].map((r) => r.wallUs));
    const label = inFlight === 1 ? 'one at a time' : `${inFlight} in flight`;
    rows.push({
      section,
      measure: `SQLite: CPU per job, ${label}`,
      value: `${cpu('sqlite').toFixed(1)} µs`,
      reference: `memory store ${cpu('memory').toFixed(1)} µs (${ratio(cpu('sqlite'), cpu('memory'))})`,
      target: 'report',
      result: '',
    });
    rows.push({
      section,
      measure: `SQLite: time per job, ${label}`,
      value: `${wall('sqlite').toFixed(1)} µs`,
      reference: `memory store ${wall('memory').toFixed(1)} µs`,
      target: 'report',
      result: '',
    });
  }
  return rows;
}
