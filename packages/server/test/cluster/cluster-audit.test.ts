import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectAgent, exec, waitFor } from '@openclaw-node/test-support/server';
import { skipWithoutRedis, startRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { freshPrefix, startClusterServer } from './cluster-harness.js';

let redis: RedisServer;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-cluster-audit-'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

const execRecords = async (file: string): Promise<Record<string, unknown>[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((r) => r.event === 'exec');

describe.skipIf(skipWithoutRedis)('the audit log in scale-out mode', () => {
  it('records each job once, in the log of the process that took the request', async () => {
    const prefix = freshPrefix();
    const files = { a: path.join(dir, 'a.jsonl'), b: path.join(dir, 'b.jsonl') };
    const a = await startClusterServer(redis.url, prefix, 'proc-a', { auditLog: files.a });
    const b = await startClusterServer(redis.url, prefix, 'proc-b', { auditLog: files.b });
    const agent = await connectAgent(a.url, { nodeId: 'ws-042' });
    try {
      await waitFor(async () => {
        const nodes = (await api(b.url, '/api/nodes')).body.nodes as unknown[];
        return nodes.length === 1 ? true : undefined;
      }, 'ws-042 on b');
      const viaB = await exec(b.url, 'ws-042', { action: 'tools.ping', params: {} });
      const viaA = await exec(a.url, 'ws-042', { action: 'tools.ping', params: {} });
      await waitFor(async () => ((await execRecords(files.b)).length === 1 ? true : undefined), 'b audits');
      await waitFor(async () => ((await execRecords(files.a)).length === 1 ? true : undefined), 'a audits');
      // Both processes saw both jobs end; give a duplicate every chance to be written.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await execRecords(files.b)).map((r) => r.command_id)).toEqual([viaB.body.command_id]);
      expect((await execRecords(files.a)).map((r) => r.command_id)).toEqual([viaA.body.command_id]);
      expect((await execRecords(files.b))[0]).toMatchObject({ address: '127.0.0.1', outcome: 'success' });
    } finally {
      agent.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
