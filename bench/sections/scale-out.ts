import type { BenchContext } from '../context.js';
import type { Row } from '../report.js';

/**
 * The exec figures through two server processes sharing presence and routing through Redis (issue 8
 * items 1–2). Not built yet, so the row says so. The hook for whoever builds it: start Redis, start two
 * `ServerProcess`es with the adapter's options (`extraArgs` / `env`), spread a `Swarm` over both
 * (`serverUrl` per half), then measure with `execLoad({ restBases: [a.base, b.base], token, nodeIds })`
 * exactly as sections/exec.ts does for one process, so the rows compare like with like.
 */
export async function scaleOutSection(_ctx: BenchContext): Promise<Row[]> {
  return [
    {
      section: 'exec through two server processes and Redis',
      measure: 'exec round trip p50 / throughput',
      value: '—',
      reference: 'the one-process rows above',
      target: 'not built yet (issue 8 items 1–2)',
      result: 'n/a',
    },
  ];
}
