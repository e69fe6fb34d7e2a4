import { describe, expect, it } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { useClusterBed } from './cluster-harness.js';

const bed = useClusterBed();

const twoServers = (limits: Record<string, number>): Promise<[TestServer, TestServer]> =>
  bed.twoServers({ limits });

describe.skipIf(skipWithoutRedis)('rate limits shared by the processes of a cluster', () => {
  it("counts a token's execs on every process against one budget", async () => {
    const [a, b] = await twoServers({ execRatePerMinute: 4, execBurst: 4 });
    await bed.agent(a, { nodeId: 'ws-042' });
    await waitFor(async () => {
      const nodes = (await api(b.url, '/api/nodes')).body.nodes as unknown[];
      return nodes.length === 1 ? true : undefined;
    }, 'ws-042 on b');
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a, b]) {
      statuses.push((await exec(server.url, 'ws-042', { action: 'tools.ping', params: {} })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts failed authentications of one address on every process together', async () => {
    const [a, b] = await twoServers({ authFailuresPerMinute: 3 });
    const statuses: number[] = [];
    for (const server of [a, b, a, b]) {
      statuses.push((await api(server.url, '/api/nodes', { token: 'wrong-token-0123456789' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // The right token from that address waits too, on either process.
    expect((await api(a.url, '/api/nodes')).status).toBe(429);
  });
});
