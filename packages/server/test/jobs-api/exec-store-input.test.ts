import { describe, expect, it } from 'vitest';
import { exec } from '@openclaw-node/test-support/server';
import { MemoryJobStore, type NewJob } from '../../src/jobs/index.js';
import { useTestServer } from '../helpers/server.js';

/** The memory store, remembering what each create was given. */
class RecordingStore extends MemoryJobStore {
  readonly inputs: NewJob[] = [];
  override create(input: NewJob): ReturnType<MemoryJobStore['create']> {
    this.inputs.push(structuredClone(input));
    return super.create(input);
  }
}

const store = new RecordingStore();
const t = useTestServer({ jobStore: store });

describe('the job an exec stores', () => {
  it('says its id was minted for it, and that its caller waits for its end', async () => {
    await t.agent(t.url, { nodeId: 'ws-042' });
    const response = await exec(t.url, 'ws-042', { action: 'tools.ping', params: {} });
    expect(response.status).toBe(200);
    const input = store.inputs.at(-1)!;
    expect(input).toMatchObject({ command_id: response.body.command_id, minted_id: true, awaits_end: true });
  });
});
