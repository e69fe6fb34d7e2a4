import { randomBytes } from 'node:crypto';
import type { ClusterSettings, ServerOptions } from '../../src/index.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Fast heartbeats so a dead process is noticed within a test's patience. */
export const FAST_CLUSTER = { heartbeatMs: 100, processTtlMs: 600, rpcTimeoutMs: 2000 } as const;

/** A fresh key prefix: tests sharing one redis-server never see each other's nodes or jobs. */
export function freshPrefix(): string {
  return `t${randomBytes(5).toString('hex')}:`;
}

/** A server process of a cluster (in this test process), with the job store in Redis. */
export function startClusterServer(
  redis: string,
  keyPrefix: string,
  processId: string,
  overrides: Omit<Partial<ServerOptions>, 'cluster'> & { cluster?: Partial<ClusterSettings> } = {},
): Promise<TestServer> {
  const { cluster, ...rest } = overrides;
  return startServer({
    store: undefined,
    cluster: { redis, keyPrefix, processId, ...FAST_CLUSTER, ...cluster },
    ...rest,
  });
}
