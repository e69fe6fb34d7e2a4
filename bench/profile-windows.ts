/**
 * `tsx bench/profile-windows.ts <windows.json> <profile-dir> [top]`: the metrics section's twin
 * processes, profiled (`--server-node-args=--cpu-prof --cpu-prof-dir=<dir>` with
 * BENCH_PROFILE_WINDOWS=<windows.json>), split by round: CPU per exec of each function and package in
 * the rounds of the server with metrics on against the rounds of the one with them off, same process,
 * so what metrics add per exec shows by name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { functionKey, packageOf, type ProfileCallFrame } from './profile-names.js';
import path from 'node:path';
import type { ProfileWindow } from './sections/metrics.js';

interface ProfileNode {
  id: number;
  callFrame: ProfileCallFrame;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}
type Role = ProfileWindow['role'];

const [windowsFile, dir, topArg] = process.argv.slice(2);
if (!windowsFile || !dir) {
  process.stderr.write('usage: tsx bench/profile-windows.ts <windows.json> <profile-dir> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 40);
const windows = JSON.parse(readFileSync(windowsFile, 'utf8')) as ProfileWindow[];
const execs: Record<Role, number> = { on: 0, off: 0 };
for (const w of windows) execs[w.role] += w.requests;

const byFn: Record<Role, Map<string, number>> = { on: new Map(), off: new Map() };
const byPkg: Record<Role, Map<string, number>> = { on: new Map(), off: new Map() };
const add = (map: Map<string, number>, key: string, us: number): void => {
  map.set(key, (map.get(key) ?? 0) + us);
};
let files = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const pid = Number(/\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1]);
  const mine = windows.filter((w) => w.pid === pid).sort((a, b) => a.startUs - b.startUs);
  if (mine.length === 0) continue;
  files++;
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  let t = profile.startTime;
  let w = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    while (w < mine.length && mine[w]!.endUs < t) w++;
    const window = mine[w];
    if (!window || t < window.startUs) return;
    const node = nodes.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    add(byFn[window.role], functionKey(node.callFrame), delta);
    add(byPkg[window.role], packageOf(node.callFrame.url), delta);
  });
}

const perExec = (us: number, role: Role): number => us / Math.max(1, execs[role]);
const show = (title: string, maps: Record<Role, Map<string, number>>, n: number): void => {
  const keys = new Set([...maps.on.keys(), ...maps.off.keys()]);
  const rows = [...keys].map((key) => {
    const on = perExec(maps.on.get(key) ?? 0, 'on');
    const off = perExec(maps.off.get(key) ?? 0, 'off');
    return { key, on, off, diff: on - off };
  });
  const sum = (role: 'on' | 'off'): number => rows.reduce((a, r) => a + r[role], 0);
  process.stdout.write(
    `\n${title}: busy CPU per exec on ${sum('on').toFixed(1)} µs, off ${sum('off').toFixed(1)} µs\n` +
      '   on µs   off µs    diff\n',
  );
  for (const r of rows.sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff)).slice(0, n)) {
    process.stdout.write(
      `${r.on.toFixed(2).padStart(8)} ${r.off.toFixed(2).padStart(8)} ${r.diff.toFixed(2).padStart(7)}  ${r.key}\n`,
    );
  }
};
process.stdout.write(`${files} profiles; execs in the on rounds ${execs.on}, off rounds ${execs.off}\n`);
show('by package', byPkg, 20);
show('by function (largest differences)', byFn, top);
