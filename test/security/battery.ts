import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeActivity } from './expect-refusal.js';
import { startHostileStack, type HostileStack } from './stack.js';

/** One stack per test file: started before the first case, stopped after the last. */
export function useHostileStack(): () => HostileStack {
  let stack: HostileStack | undefined;
  beforeAll(async () => {
    stack = await startHostileStack();
  }, 30_000);
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('the hostile stack did not start');
    return stack;
  };
}

/**
 * The closing tests of a refusal file: the server still answers health and the agent still runs an
 * action; and over the whole file nothing at all was started or sent (a detached process that logs
 * itself late shows up here even if no single case saw it).
 */
export function itStillServesWithNothingStarted(get: () => HostileStack): void {
  it('keeps serving after the battery: health answers and the node runs a ping', async () => {
    await expectServing(get());
  });

  it('started no process and sent nothing to ShotGrid over the whole battery', async () => {
    // A detached launch logs itself a moment after it spawned; give a stray one time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const activity = await get().activity();
    expect(
      activity.spawns.length + activity.processes.length + activity.sgRequests.length,
      describeActivity(activity),
    ).toBe(0);
  });
}

/** Health answers 200 with the node counted, and a ping runs on the node. */
export async function expectServing(stack: HostileStack): Promise<void> {
  const health = await stack.request('/api/health', { auth: false });
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'ok', nodes_connected: 1 });
  const nodes = await stack.request('/api/nodes');
  expect((nodes.body.nodes as { node_id: string }[]).map((n) => n.node_id)).toContain(stack.nodeId);
  const ping = await stack.exec({ action: 'explorer.ping', params: {} });
  expect(ping.status, ping.text).toBe(200);
  expect(ping.body).toMatchObject({ status: 'success', node_id: stack.nodeId, result: { ok: true } });
}
