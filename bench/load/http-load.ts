import { HttpClient } from '../http-client.js';
import { percentile } from '../stats.js';
import { hasWrk, runWrk, type WrkResult, type WrkRun } from './wrk.js';

export type { WrkResult as LoadResult, WrkRun as LoadRun };

/** The HTTP load generator of a run: wrk in its own process when present, else this process. */
export interface HttpLoad {
  /** Says which, for the table's header. */
  readonly name: string;
  run(o: WrkRun): Promise<WrkResult>;
}

export async function httpLoad(): Promise<HttpLoad> {
  if (await hasWrk()) {
    return { name: 'wrk (its own process, one thread, keep-alive)', run: runWrk };
  }
  return { name: 'the bench process (node:http keep-alive; wrk not found on PATH)', run: runInProcess };
}

/** The fallback: keep `connections` requests in flight from this process, latency per request. */
async function runInProcess(o: WrkRun): Promise<WrkResult> {
  const client = new HttpClient(o.base, { token: o.token, maxSockets: Math.max(o.connections, 1) });
  const samples: number[] = [];
  let failures = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + o.durationMs;
  try {
    await Promise.all(
      Array.from({ length: o.connections }, async () => {
        while (performance.now() < deadline) {
          const p = o.paths[next++ % o.paths.length]!;
          const t0 = performance.now();
          const r = await (o.method === 'GET' ? client.get(p) : client.post(p, o.body ?? '{}')).catch(
            () => undefined,
          );
          samples.push(performance.now() - t0);
          if (!r || r.status < 200 || r.status > 299) failures++;
        }
      }),
    );
  } finally {
    client.close();
  }
  const durationS = (performance.now() - start) / 1000;
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    perSecond: samples.length / durationS,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    failures,
    durationS,
  };
}
