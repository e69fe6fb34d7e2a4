import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux we run on). */
const TICKS_PER_S = 100;

/** Resident memory of a process in bytes (VmRSS), or its peak so far (VmHWM). */
export function readRss(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** CPU time of a process, user + system over all its threads, in seconds. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** CPU use of `pid` over `ms` of wall time, in % of one core. */
export async function measureCpu(pid: number, ms: number): Promise<number> {
  const cpu0 = readCpuSeconds(pid);
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((readCpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
}

/** Samples a process every `intervalMs`: peak CPU (% of one core over a sliding window) and peak RSS. */
export class ProcSampler {
  readonly #pid: number;
  readonly #windowMs: number;
  readonly #samples: { t: number; cpu: number }[] = [];
  readonly #timer: NodeJS.Timeout;
  peakCpu = 0;
  peakRss = 0;

  constructor(pid: number, options: { intervalMs?: number; windowMs?: number } = {}) {
    this.#pid = pid;
    this.#windowMs = options.windowMs ?? 1000;
    this.#timer = setInterval(() => this.sample(), options.intervalMs ?? 100);
    this.sample();
  }

  sample(): void {
    let cpu: number;
    try {
      cpu = readCpuSeconds(this.#pid);
      this.peakRss = Math.max(this.peakRss, readRss(this.#pid));
    } catch {
      return; // the process is gone (killed on purpose in the storm)
    }
    const t = performance.now();
    this.#samples.push({ t, cpu });
    while (this.#samples.length > 1 && t - this.#samples[0]!.t > this.#windowMs) {
      const first = this.#samples[0]!;
      const span = (t - first.t) / 1000;
      this.peakCpu = Math.max(this.peakCpu, ((cpu - first.cpu) / span) * 100);
      this.#samples.shift();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.sample();
  }
}
