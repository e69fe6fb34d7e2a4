import { describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../../src/jobs/index.js';
import { NodeRegistry } from '../../src/nodes/node-registry.js';
import { QueueGuard } from '../../src/security/queue-guard.js';
import type { Principal } from '../../src/security/auth/auth-provider.js';

const operator: Principal = { name: 'farm-script', roles: ['operator'], via: 'token' };
const limits = {
  maxQueuedJobsPerRequest: 10,
  maxQueuedJobsPerToken: 3,
  maxStoredParamsBytesPerRequest: 1_000_000,
  maxQueuedParamsBytesPerToken: 1_000_000,
};

function setup() {
  const store = new MemoryJobStore();
  const guard = new QueueGuard({ registry: new NodeRegistry(), store, limits });
  const queue = (id: string) =>
    store.create({ command_id: id, node_id: 'ws-042', action: 'rv.open', expires_at: Date.now() + 60_000 });
  return { store, guard, queue };
}

describe('QueueGuard', () => {
  it('gives a queued job its room back when it leaves the queue, even before its request attached it', async () => {
    const { store, guard, queue } = setup();
    const held = guard.admit(operator, { jobs: 1, queued: 1, paramsBytes: 10 });
    await queue('early');
    // The node connected at once: the job runs before the request got to attach it.
    await store.transition('early', 'running');
    held.attach(['early']);
    held.release();
    expect(guard.queuedBy(operator)).toBe(0);

    const waiting = guard.admit(operator, { jobs: 1, queued: 1, paramsBytes: 10 });
    await queue('later');
    waiting.attach(['later']);
    waiting.release();
    expect(guard.queuedBy(operator)).toBe(1);
    await store.transition('later', 'expired');
    expect(guard.queuedBy(operator)).toBe(0);
  });

  it('counts nothing for jobs that were never queued, whatever ends while no request is open', async () => {
    const { store, guard, queue } = setup();
    for (let i = 0; i < 5; i++) {
      await store.create({ command_id: `run-${i}`, node_id: 'ws-042', action: 'rv.open', state: 'running' });
      await store.transition(`run-${i}`, 'succeeded');
    }
    // Room for three queued jobs of this token, all of it still free.
    const held = guard.admit(operator, { jobs: 3, queued: 3, paramsBytes: 10 });
    for (const id of ['q1', 'q2', 'q3']) await queue(id);
    held.attach(['q1', 'q2', 'q3']);
    held.release();
    expect(guard.queuedBy(operator)).toBe(3);
    expect(() => guard.admit(operator, { jobs: 1, queued: 1, paramsBytes: 10 })).toThrow(/QUEUE_LIMIT|limit/);
    await store.transition('q1', 'cancelled');
    expect(guard.queuedBy(operator)).toBe(2);
  });
});
