import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ClusterSettings, ServerOptions } from '../../src/index.js';
import {
  connectAgent,
  startServer,
  type FakeAgent,
  type FakeAgentOptions,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { startRedis, type RedisServer } from '@openclaw-node/test-support/redis';

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
  overrides: ClusterOverrides = {},
): Promise<TestServer> {
  const { cluster, ...rest } = overrides;
  return startServer({
    store: 'redis',
    cluster: { redis, keyPrefix, processId, ...FAST_CLUSTER, ...cluster },
    ...rest,
  });
}

type ClusterOverrides = Omit<Partial<ServerOptions>, 'cluster'> & { cluster?: Partial<ClusterSettings> };

/** One redis-server per test file, and the server processes and agents of each test, closed after it. */
export interface ClusterBed {
  redis(): RedisServer;
  /** Processes `proc-a` and `proc-b` on a fresh key prefix. */
  twoServers(overrides?: ClusterOverrides): Promise<[TestServer, TestServer]>;
  /** Processes with these ids on a fresh key prefix, which is returned with them. */
  servers(
    processIds: string[],
    overrides?: ClusterOverrides,
  ): Promise<{ prefix: string; servers: TestServer[] }>;
  /** An agent connected to `server` (whatever its hello ack said). */
  agent(server: TestServer, options?: FakeAgentOptions): Promise<FakeAgent>;
}

/** Register the hooks of a cluster test file (call at its top level). */
export function useClusterBed(): ClusterBed {
  let redis: RedisServer | undefined;
  const servers: TestServer[] = [];
  const agents: FakeAgent[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const agent of agents.splice(0)) agent.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const bed: ClusterBed = {
    redis: () => redis!,
    async twoServers(overrides = {}) {
      const prefix = freshPrefix();
      const a = await startClusterServer(bed.redis().url, prefix, 'proc-a', overrides);
      servers.push(a);
      const b = await startClusterServer(bed.redis().url, prefix, 'proc-b', overrides);
      servers.push(b);
      return [a, b];
    },
    async servers(processIds, overrides = {}) {
      const prefix = freshPrefix();
      const started: TestServer[] = [];
      for (const id of processIds) {
        const server = await startClusterServer(bed.redis().url, prefix, id, overrides);
        servers.push(server);
        started.push(server);
      }
      return { prefix, servers: started };
    },
    async agent(server, options = {}) {
      const agent = await connectAgent(server.url, options);
      agents.push(agent);
      return agent;
    },
  };
  return bed;
}
