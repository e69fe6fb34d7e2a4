import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  startServer,
  toolsManifest,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

/**
 * Issue 11 (Low): prototype-named keys are data. A param named `__proto__` (allowed where a schema
 * takes any property) reaches the node and stays in the job's history; a schema property named
 * `toString` or `constructor` validates like any other (ajv once read the inherited method).
 */
let server: TestServer;
let dataDir: string;
let agent: FakeAgent;

beforeAll(async () => {
  // Real SQLite: the history the operator reads back is what the store kept.
  dataDir = await mkdtemp(path.join(tmpdir(), 'openclaw-proto-'));
  server = await startServer({ store: 'sqlite', dataDir });
  agent = await connectAgent(server.url, {
    nodeId: 'ws-proto',
    hello: {
      plugins: [
        toolsManifest({
          actions: {
            free: { description: 'Takes any property', params: { type: 'object' } },
            named: {
              description: 'Has prototype-named properties',
              params: {
                type: 'object',
                additionalProperties: false,
                properties: { toString: { type: 'string' }, constructor: { type: 'string' } },
              },
            },
          },
        }),
      ],
    },
  });
});

afterAll(async () => {
  agent?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('prototype-named keys are plain data', () => {
  it('keeps a param named __proto__ in what the node gets and in the job history', async () => {
    const raw = '{"action":"tools.free","params":{"__proto__":{"x":1},"n":{"__proto__":"y"}}}';
    const answer = await api(server.url, '/api/nodes/ws-proto/exec', { raw });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(agent.execs.at(-1)?.params)).toBe('{"__proto__":{"x":1},"n":{"__proto__":"y"}}');
    const job = await api(server.url, `/api/jobs/${String(answer.body.command_id)}`);
    expect(job.status).toBe(200);
    expect(JSON.stringify(job.body.params)).toBe('{"__proto__":{"x":1},"n":{"__proto__":"y"}}');
  });

  it('validates schema properties named toString and constructor, present or absent', async () => {
    for (const params of [{}, { toString: 'a' }, { toString: 'a', constructor: 'b' }]) {
      const answer = await api(server.url, '/api/nodes/ws-proto/exec', {
        body: { action: 'tools.named', params },
      });
      expect([params, answer.status]).toEqual([params, 200]);
    }
    const wrong = await api(server.url, '/api/nodes/ws-proto/exec', {
      body: { action: 'tools.named', params: { toString: 1 } },
    });
    expect(wrong.body).toMatchObject({
      error: { code: 'INVALID_PARAMS', details: { field: 'params.toString' } },
    });
  });
});
