import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TOKEN,
  api,
  connectAgent,
  startServer,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';
import { JOBS_FILE_NAME } from '../../src/jobs/store/sqlite/sqlite-job-store.js';

/**
 * docs/jobs.md: nothing is acknowledged before its COMMIT. The create of a job whose caller waits for
 * its end may be committed up to CREATE_COMMIT_DELAY_MS later, and the store's reads run on the
 * writing connection, which sees its own open transaction: a read must commit the batch first, or a
 * reader is answered about a job a crash would still lose. A second connection to the file sees what
 * a crash would leave (the committed WAL).
 *
 * Each case is tried several times: the window is 10 ms, so on a loaded machine a try may miss it;
 * with the fault most tries land inside it, without it no try can ever see a missing row.
 */
const TRIES = 20;

let dir: string;
let server: TestServer;
let agent: FakeAgent;
let reader: BetterSqlite3.Database;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oc-sqlite-read-committed-'));
  server = await startServer({ store: 'sqlite', dataDir: dir });
  // Never answers: the job stays running, so only the 10 ms timer commits its create.
  agent = await connectAgent(server.url, { nodeId: 'ws-001', onExec: () => 'never' });
  reader = new BetterSqlite3(path.join(dir, JOBS_FILE_NAME), { readonly: true, fileMustExist: true });
});

afterEach(async () => {
  reader?.close();
  agent?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Whether the job is committed: what the file holds for any other connection, and after a crash. */
function committed(commandId: string): boolean {
  return reader.prepare('SELECT 1 FROM jobs WHERE command_id = ?').get(commandId) !== undefined;
}

/** Start an exec that waits for its end (awaits_end) and return its job id the moment the agent has it. */
async function startWaitingExec(key?: string): Promise<string> {
  const received = new Promise<string>((resolve) =>
    agent.socket.once('exec', (request) => resolve(request.jobId)),
  );
  void api(server.url, '/api/nodes/ws-001/exec', {
    body: { action: 'tools.ping', params: {} },
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  }).catch(() => undefined);
  return received;
}

describe('reads during the uncommitted-create window (SQLite group commit, awaits_end)', () => {
  it('GET /api/jobs/:id never answers with a job whose create is not committed', async () => {
    const seenUncommitted: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const id = await startWaitingExec();
      const got = await api(server.url, `/api/jobs/${id}`);
      // Checked the moment the answer is in the caller's hands.
      if (got.status === 200 && !committed(id)) seenUncommitted.push(id);
    }
    expect(seenUncommitted).toEqual([]);
  });

  it('GET /api/jobs never lists a job whose create is not committed', async () => {
    const seenUncommitted: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const id = await startWaitingExec();
      const page = await api(server.url, '/api/jobs?node=ws-001&limit=1');
      const listed = (page.body.jobs as { command_id: string }[]).some((j) => j.command_id === id);
      if (listed && !committed(id)) seenUncommitted.push(id);
    }
    expect(seenUncommitted).toEqual([]);
  });

  it('an Idempotency-Key replay with "wait": false is not answered 202 before the original job is committed', async () => {
    const seenUncommitted: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const key = `review-replay-${i}-${Date.now()}`;
      const id = await startWaitingExec(key);
      const replay = await api(server.url, '/api/nodes/ws-001/exec', {
        body: { action: 'tools.ping', params: {}, wait: false },
        headers: { 'idempotency-key': key },
      });
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replay')).toBe('true');
      expect(replay.body.command_id).toBe(id);
      if (!committed(id)) seenUncommitted.push(id);
    }
    expect(seenUncommitted).toEqual([]);
  });
  it('GET /api/jobs/:id/events does not stream the running event before the create is committed', async () => {
    const seenUncommitted: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      const id = await startWaitingExec();
      const controller = new AbortController();
      const response = await fetch(`${server.url}/api/jobs/${id}/events`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: controller.signal,
      });
      const stream = response.body!.getReader();
      let text = '';
      while (!text.includes('event: state')) {
        const { value, done } = await stream.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      // The first state event is in the subscriber's hands: is it on disk?
      if (text.includes('"state":"running"') && !committed(id)) seenUncommitted.push(id);
      controller.abort();
      await stream.cancel().catch(() => undefined);
    }
    expect(seenUncommitted).toEqual([]);
  });
});
