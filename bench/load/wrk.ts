import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one wrk run measured: completed requests, their rate, latency percentiles in ms, failures. */
export interface WrkResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Non-2xx answers plus connect/read/write/timeout errors. */
  failures: number;
  durationS: number;
}

export interface WrkRun {
  base: string;
  /** Request paths, taken round-robin (one per request). */
  paths: string[];
  method: 'GET' | 'POST';
  body?: string;
  token?: string;
  /** Connections kept busy: 1 is a sequential run. */
  connections: number;
  durationMs: number;
}

// The request() hook keeps the paths round-robin; done() prints the figures as one JSON line.
const SCRIPT = `
local paths, method, body, headers = {}, "GET", nil, {}
local i = 0
function init(args)
  method = args[1]
  if args[2] ~= "" then headers["Authorization"] = "Bearer " .. args[2] end
  if args[3] ~= "" then body = args[3]; headers["Content-Type"] = "application/json" end
  for n = 4, #args do paths[#paths + 1] = args[n] end
end
function request()
  i = i + 1
  return wrk.format(method, paths[(i % #paths) + 1], headers, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"failures":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;

/** Whether wrk is on PATH (Debian: apt-get install wrk). */
export async function hasWrk(): Promise<boolean> {
  const r = await execa('wrk', ['--version'], { reject: false });
  return r.stdout.includes('wrk') || r.stderr.includes('wrk');
}

/**
 * One wrk run in its own process (one thread, so it takes at most one core), keep-alive connections,
 * paths round-robin. wrk's latency histogram has microsecond resolution.
 */
export async function runWrk(o: WrkRun): Promise<WrkResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'openclaw-wrk-'));
  try {
    const script = path.join(dir, 'run.lua');
    writeFileSync(script, SCRIPT);
    const args = [
      '-t1',
      `-c${o.connections}`,
      `-d${Math.max(1, Math.round(o.durationMs / 1000))}s`,
      '--timeout',
      '30s',
      '-s',
      script,
      o.base,
      '--',
      o.method,
      o.token ?? '',
      o.body ?? '',
      ...o.paths,
    ];
    const r = await execa('wrk', args, { reject: false });
    const line = r.stdout.split('\n').find((l) => l.startsWith('WRK '));
    if (!line) throw new Error(`wrk gave no figures (${r.exitCode}): ${r.stderr || r.stdout}`);
    const j = JSON.parse(line.slice(4)) as {
      requests: number;
      duration_us: number;
      p50_us: number;
      p99_us: number;
      failures: number;
    };
    const durationS = j.duration_us / 1e6;
    return {
      requests: j.requests,
      perSecond: j.requests / durationS,
      p50: j.p50_us / 1000,
      p99: j.p99_us / 1000,
      failures: j.failures,
      durationS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
