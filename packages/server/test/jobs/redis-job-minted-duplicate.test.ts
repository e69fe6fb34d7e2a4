import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryJobStore, type JobStore } from '../../src/jobs/index.js';
import { skipWithoutRedis } from '@openclaw-node/test-support/redis';
import { newJob } from './job-store-suite.js';
import { useRedisStoreBed } from './redis-store-bed.js';

const bed = useRedisStoreBed();

describe.skipIf(skipWithoutRedis)('a second create of a stored id flagged minted_id', () => {
  it("is refused as by the memory store (and SQLite's primary key), not written over the stored job", async () => {
    let t = 1_700_000_000_000;
    const keyPrefix = `dup-${randomUUID()}:`;
    const red = await bed.open('dup', { keyPrefix, now: () => t });
    const mem = new MemoryJobStore({ now: () => t });
    const id = `m-${randomUUID()}`;
    const outcome = async (s: JobStore): Promise<string> => {
      await s.create({ ...newJob({ command_id: id, state: 'running', node_id: 'first' }), minted_id: true });
      t += 1;
      const second = await s
        .create({ ...newJob({ command_id: id, state: 'running', node_id: 'second' }), minted_id: true })
        .then(
          (r) => `created=${r.created}`,
          (e: { code?: string }) => `err ${e.code}`,
        );
      t -= 1;
      return `${second} node=${(await s.get(id))?.node_id} listed=${(await s.list({}, { limit: 10 })).jobs.length}`;
    };
    const m = await outcome(mem);
    const r = await outcome(red);
    expect(m).toBe('err INVALID_BODY node=first listed=1');
    // Redis: the second create overwrites the job's hash (new node, new _m) and leaves the first
    // job's index entries behind, so the one job lists twice and under the old node.
    expect(r).toBe(m);
  });
});
