/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: self time by function and by package of a
 * V8 CPU profile (from `--server-node-options="--cpu-prof --cpu-prof-dir=…"`), to see what limits a figure.
 */
import { readFileSync } from 'node:fs';
import { functionKey, packageOf, type ProfileCallFrame } from './profile-names.js';

interface ProfileNode {
  id: number;
  callFrame: ProfileCallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, urlPart] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [url-part]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const wanted = (node: ProfileNode): boolean => !urlPart || node.callFrame.url.includes(urlPart);
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  pkgs.set(packageOf(node.callFrame.url), (pkgs.get(packageOf(node.callFrame.url)) ?? 0) + us);
  if (wanted(node)) fns.set(functionKey(node.callFrame), (fns.get(functionKey(node.callFrame)) ?? 0) + us);
}
// Total time: each node's self time plus its callees', counted once per function on a stack (recursion).
const totals = new Map<string, number>();
const walk = (id: number, onStack: Set<string>): number => {
  const node = byId.get(id)!;
  const key = functionKey(node.callFrame);
  const fresh = !onStack.has(key);
  if (fresh) onStack.add(key);
  let sum = selfUs.get(id) ?? 0;
  for (const child of node.children ?? []) sum += walk(child, onStack);
  if (fresh) {
    onStack.delete(key);
    if (wanted(node)) totals.set(key, (totals.get(key) ?? 0) + sum);
  }
  return sum;
};
walk(profile.nodes[0]!.id, new Set());
const show = (title: string, map: Map<string, number>, n: number): void => {
  process.stdout.write(`\n${title} (total ${(total / 1e6).toFixed(2)} s)\n`);
  for (const [key, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    process.stdout.write(
      `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`,
    );
  }
};
show('self time by package', pkgs, 15);
show(`self time by function${urlPart ? ` in ${urlPart}` : ''}`, fns, top);
show(`total time by function${urlPart ? ` in ${urlPart}` : ''}`, totals, top);
