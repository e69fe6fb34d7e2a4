import { HttpClient } from './http-client.js';

/**
 * Where exec requests go: REST bases spread round-robin (one server today; the Redis scale-out row
 * passes two servers here) and the nodes to run `bench.noop` on, also round-robin.
 */
export interface ExecTarget {
  restBases: string[];
  token: string;
  nodeIds: string[];
}

export interface ExecLoad {
  exec: () => Promise<void>;
  health: () => Promise<void>;
  close: () => void;
}

/** The exec every load of the bench sends: the no-op action, answered at once by the simulated agents. */
export const EXEC_BODY = JSON.stringify({ action: 'bench.noop', params: { n: 1 } });

/** A load generator for one target: `exec()` runs one no-op job and checks its answer; `health()` is the HTTP floor. */
export function execLoad(target: ExecTarget): ExecLoad {
  const clients = target.restBases.map(
    (base) => new HttpClient(base, { token: target.token, maxSockets: 512 }),
  );
  let nextClient = 0;
  let nextNode = 0;
  const client = (): HttpClient => clients[nextClient++ % clients.length]!;
  return {
    exec: async () => {
      const node = target.nodeIds[nextNode++ % target.nodeIds.length]!;
      const r = await client().post(`/api/nodes/${node}/exec`, EXEC_BODY);
      if (r.status !== 200)
        throw new Error(`exec on ${node}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    },
    health: async () => {
      await client().ok('/api/health');
    },
    close: () => {
      for (const c of clients) c.close();
    },
  };
}
