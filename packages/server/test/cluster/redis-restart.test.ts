import { describe, expect, it, vi } from 'vitest';
import { api, exec, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { useClusterBed } from './cluster-harness.js';

const bed = useClusterBed();

const listed = async (server: TestServer, nodeId: string): Promise<true | undefined> => {
  const response = await api(server.url, '/api/nodes');
  return response.status === 200 &&
    (response.body.nodes as { node_id: string }[]).some((n) => n.node_id === nodeId)
    ? true
    : undefined;
};

describe.skipIf(skipWithoutRedis)('a cluster through a Redis restart', () => {
  it('keeps serving while Redis is away, and routes across processes again once it is back', async () => {
    const [a, b] = await bed.twoServers();
    const agent = await bed.agent(a, { nodeId: 'ws-042' });
    await waitFor(() => listed(b, 'ws-042'), 'ws-042 on b');
    const before = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
    expect(before.body.status).toBe('success');

    await bed.redis().kill();
    // The REST API of each process still answers from memory while Redis is down.
    expect((await api(a.url, '/api/health')).status).toBe(200);
    expect(await listed(a, 'ws-042')).toBe(true);
    await bed.redis().restart();

    await waitFor(() => listed(b, 'ws-042'), 'ws-042 on b after the restart', 15_000);
    const after = await waitFor(
      async () => {
        const response = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
        return response.status === 200 ? response : undefined;
      },
      'an exec through b after the restart',
      15_000,
    );
    expect(after.body.status).toBe('success');
    expect(agent.connected).toBe(true);
    expect(agent.execs.at(-1)?.jobId).toBe(after.body.command_id);
    // The history written before the crash survived (AOF), and the new job is in it too (attempts
    // refused while the processes found each other again are recorded as failed, between the two).
    const history = await api(a.url, '/api/jobs?node=ws-042');
    const ids = (history.body.jobs as { command_id: string }[]).map((j) => j.command_id);
    expect(ids[0]).toBe(after.body.command_id);
    expect(ids.at(-1)).toBe(before.body.command_id);
  }, 60_000);

  it('shows a node that connected while Redis was down on the other process once Redis is back', async () => {
    const [a, b] = await bed.twoServers();
    await bed.redis().kill();
    const agent = await bed.agent(a, { nodeId: 'ws-043' });
    expect(agent.helloAck?.ok).toBe(true);
    await bed.redis().restart();
    await waitFor(() => listed(b, 'ws-043'), 'ws-043 on b after the restart', 15_000);
  }, 60_000);

  it('lives through an outage longer than any client retries a command, then works again', async () => {
    const [a, b] = await bed.twoServers();
    await bed.agent(a, { nodeId: 'ws-044' });
    await waitFor(() => listed(b, 'ws-044'), 'ws-044 on b');
    const crashes: unknown[] = [];
    const onCrash = (error: unknown): void => void crashes.push(error);
    process.on('unhandledRejection', onCrash);
    // ioredis prints a stack for each failed reconnect of a client nobody listens to for errors.
    const printed = vi.spyOn(console, 'error');
    try {
      await bed.redis().kill();
      // ioredis gives a command up after 20 reconnect attempts, about 10.5 s: stay down past that,
      // while the processes keep sending heartbeats, announcements and cross-process calls.
      const during = exec(b.url, 'ws-044', { action: 'tools.ping', params: {} });
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      await bed.redis().restart();
      await during;
      let last: unknown;
      const after = await waitFor(
        async () => {
          const response = await exec(b.url, 'ws-044', { action: 'tools.ping', params: {} });
          last = [
            response.status,
            response.body,
            (await api(b.url, '/api/nodes')).body,
            (await api(a.url, '/api/nodes')).body,
          ];
          return response.status === 200 ? response : undefined;
        },
        'an exec through b after the outage',
        20_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; last: ${JSON.stringify(last).slice(0, 1500)}`);
      });
      expect(after.body.status).toBe('success');
      expect(crashes).toEqual([]);
      // The outage is logged once by the cluster, not as stacks on stderr at every retry.
      const unhandled = printed.mock.calls.filter((args) => String(args[0]).includes('Unhandled error'));
      expect(unhandled).toEqual([]);
    } finally {
      printed.mockRestore();
      process.off('unhandledRejection', onCrash);
    }
  }, 60_000);
});
