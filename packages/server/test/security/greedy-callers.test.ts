import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  exec,
  toolsManifest,
  waitFor,
  type FakeAgent,
  type Json,
} from '@openclaw-node/test-support/server';
import { T, sha256, startScopedServer, studioTokensYaml, type ScopedServer } from './scoped-server.js';

// The studio's tokens plus an operator allowed to queue for node ids never seen.
const QUEUER = 'queuer-token-8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8aYt3';
const AGENTS = 'ws-agents-token-Q2mZ7pL0vR5nB1cW9dF4gH6jS8aYt';
// Only fields every version reads, so a test that needs no new field runs against older code too.
const baseYaml = `${studioTokensYaml()}  - name: ws-agents
    sha256: ${sha256(AGENTS)}
    roles: [agent]
    nodes: ["ws-*"]
`;
const yaml = `${baseYaml}  - name: queuer
    sha256: ${sha256(QUEUER)}
    roles: [operator]
    nodes: ["ws-*"]
    queue_unknown_nodes: true
`;
let server: ScopedServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
});

async function start(
  overrides: Parameters<typeof startScopedServer>[0] = {},
  tokens = yaml,
): Promise<ScopedServer> {
  server = await startScopedServer(overrides, tokens);
  return server;
}

const ids = (n: number, prefix = 'ws-never-'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const fanOut = (s: ScopedServer, body: Json, token: string = T.ci) =>
  api(s.url, '/api/exec', { token, body });

async function jobCount(s: ScopedServer): Promise<number> {
  const page = await api(s.url, '/api/jobs?limit=500', { token: T.admin });
  return page.body.count as number;
}

async function auditLines(file: string): Promise<Json[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line): Json => JSON.parse(line) as unknown);
}

describe('queueing for node ids the server has never seen', () => {
  it('refuses a fan-out that queues for 1,000 never-seen ids with 403 NODE_UNKNOWN and stores nothing', async () => {
    const s = await start({}, baseYaml);
    const answer = await fanOut(s, {
      action: 'tools.ping',
      target: { nodes: ids(1000) },
      queue: true,
      params: { blob: 'x'.repeat(200) },
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({
      code: 'NODE_UNKNOWN',
      details: { field: 'node_id', unknown: 1000, token: 'ci' },
    });
    expect(answer.body.error.details.node_ids).toHaveLength(20);
    expect(await jobCount(s)).toBe(0);
  });

  it('refuses one queued exec for a never-seen node, and accepts it once that node has connected', async () => {
    const s = await start({}, baseYaml);
    const body = { action: 'tools.ping', params: {}, queue: true, wait: false };
    const refused = await exec(s.url, 'ws-7', body, { token: T.ci });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NODE_UNKNOWN');
    expect(refused.body.error.message).toContain('knownNodes');

    const agent = await connectAgent(s.url, { nodeId: 'ws-7', token: AGENTS });
    agent.close();
    await waitFor(
      async () =>
        (await api(s.url, '/api/nodes/ws-7', { token: T.admin })).status === 404 ? true : undefined,
      'ws-7 to disconnect',
    );
    const queued = await exec(s.url, 'ws-7', body, { token: T.ci });
    expect(queued.status).toBe(202);
    expect(queued.body.state).toBe('queued');
  });

  it('lets knownNodes globs, tokens with queue_unknown_nodes and admins queue for ids never seen', async () => {
    const s = await start({ knownNodes: ['ws-farm-*'] });
    const body = { action: 'tools.ping', params: {}, queue: true, wait: false };
    expect((await exec(s.url, 'ws-farm-01', body, { token: T.ci })).status).toBe(202);
    expect((await exec(s.url, 'ws-other-01', body, { token: T.ci })).status).toBe(403);
    expect((await exec(s.url, 'ws-other-01', body, { token: QUEUER })).status).toBe(202);
    expect((await exec(s.url, 'ws-other-02', body, { token: T.admin })).status).toBe(202);
  });
});

describe('caps on what one request and one token may store', () => {
  it('refuses a request that would queue more jobs than maxQueuedJobsPerRequest with 413 BATCH_TOO_LARGE', async () => {
    const s = await start({ limits: { maxQueuedJobsPerRequest: 10 } });
    const answer = await fanOut(
      s,
      { action: 'tools.ping', target: { nodes: ids(11) }, queue: true, params: {} },
      QUEUER,
    );
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'BATCH_TOO_LARGE', details: { queued: 11, limit: 10 } });
    expect(await jobCount(s)).toBe(0);
    const fits = await fanOut(
      s,
      { action: 'tools.ping', target: { nodes: ids(10) }, queue: true, params: {} },
      QUEUER,
    );
    expect(fits.status).toBe(202);
    expect(fits.body.jobs).toHaveLength(10);
  });

  it('refuses a request whose params times its jobs pass maxStoredParamsBytesPerRequest', async () => {
    const s = await start({ limits: { maxStoredParamsBytesPerRequest: 50_000 } });
    const answer = await fanOut(
      s,
      {
        action: 'tools.ping',
        target: { nodes: ids(10) },
        queue: true,
        params: { blob: 'x'.repeat(6000) },
      },
      QUEUER,
    );
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({
      code: 'BATCH_TOO_LARGE',
      details: { field: 'body.params', jobs: 10, limit: 50_000 },
    });
    expect(await jobCount(s)).toBe(0);
  });

  it('caps the jobs a token has waiting (429 QUEUE_LIMIT) and gives room back as they end', async () => {
    const s = await start({ limits: { maxQueuedJobsPerToken: 3 } });
    const body = { action: 'tools.ping', params: {}, queue: true, wait: false };
    const first = await fanOut(
      s,
      { action: 'tools.ping', target: { nodes: ids(2) }, queue: true, params: {} },
      QUEUER,
    );
    expect(first.status).toBe(202);
    expect((await exec(s.url, 'ws-q-1', body, { token: QUEUER })).status).toBe(202);
    const full = await exec(s.url, 'ws-q-2', body, { token: QUEUER });
    expect(full.status).toBe(429);
    expect(full.body.error).toMatchObject({ code: 'QUEUE_LIMIT', details: { token: 'queuer', limit: 3 } });
    // Another token has its own room.
    expect((await exec(s.url, 'ws-q-3', body, { token: T.admin })).status).toBe(202);
    const cancelled = await api(s.url, `/api/jobs/${first.body.jobs[0].command_id}/cancel`, {
      token: QUEUER,
      method: 'POST',
    });
    expect(cancelled.body.state).toBe('cancelled');
    expect((await exec(s.url, 'ws-q-2', body, { token: QUEUER })).status).toBe(202);
  });

  it('gives the room of expired queued jobs back on time', async () => {
    const s = await start({ limits: { maxQueuedJobsPerToken: 2 }, expireIntervalMs: 50 });
    const body = { action: 'tools.ping', params: {}, queue: true, ttl: 0.2, wait: false };
    const a = await exec(s.url, 'ws-e-1', body, { token: QUEUER });
    expect((await exec(s.url, 'ws-e-2', body, { token: QUEUER })).status).toBe(202);
    expect((await exec(s.url, 'ws-e-3', body, { token: QUEUER })).body.error.code).toBe('QUEUE_LIMIT');
    await waitFor(async () => {
      const job = await api(s.url, `/api/jobs/${a.body.command_id}`, { token: T.admin });
      return job.body.state === 'expired' ? true : undefined;
    }, 'the queued job to expire');
    expect((await exec(s.url, 'ws-e-3', body, { token: QUEUER })).status).toBe(202);
  });

  it('charges the exec budget one unit per stored job of a fan-out', async () => {
    const s = await start({ limits: { execRatePerMinute: 1, execBurst: 6 } }, baseYaml);
    for (let i = 0; i < 5; i += 1)
      agents.push(await connectAgent(s.url, { nodeId: `ws-${i}`, token: AGENTS }));
    const answer = await fanOut(s, {
      action: 'tools.ping',
      target: { nodes: ids(5, 'ws-') },
      params: {},
      wait: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.jobs).toHaveLength(5);
    // Five units spent on five jobs: one left of six.
    expect((await exec(s.url, 'ws-0', { action: 'tools.ping', params: {} }, { token: T.ci })).status).toBe(
      200,
    );
    const limited = await exec(s.url, 'ws-0', { action: 'tools.ping', params: {} }, { token: T.ci });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { token: 'ci' } });
  });
});

describe('queued jobs that end without being sent', () => {
  it('drops their params from jobs.sqlite when they expire or are cancelled; a sent job keeps them', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'openclaw-expiry-'));
    try {
      const auditFile = path.join(dataDir, 'audit.jsonl');
      const s = await start({ store: 'sqlite', dataDir, expireIntervalMs: 50, auditLog: auditFile });
      const stash = {
        description: 'Keep a blob',
        params: { type: 'object', properties: { blob: { type: 'string' } }, additionalProperties: false },
      };
      const hello = { plugins: [toolsManifest({ actions: { stash } })] };
      const gone = await connectAgent(s.url, { nodeId: 'ws-gone', token: AGENTS, hello });
      agents.push(await connectAgent(s.url, { nodeId: 'ws-live', token: AGENTS, hello }));
      gone.close();
      await waitFor(async () => {
        const node = await api(s.url, '/api/nodes/ws-gone', { token: T.admin });
        return node.status === 404 ? true : undefined;
      }, 'ws-gone to go offline');

      const params = { blob: 'x'.repeat(200_000) };
      const body = { action: 'tools.stash', params, queue: true, ttl: 0.2, wait: false };
      const expiring: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const queued = await exec(s.url, 'ws-gone', body, { token: QUEUER });
        expect(queued.status).toBe(202);
        expiring.push(queued.body.command_id as string);
      }
      const waiting = await exec(s.url, 'ws-gone', { ...body, ttl: 3600 }, { token: QUEUER });
      const cancelled = await api(s.url, `/api/jobs/${waiting.body.command_id}/cancel`, {
        token: QUEUER,
        method: 'POST',
      });
      expect(cancelled.body.state).toBe('cancelled');
      const sent = await exec(s.url, 'ws-live', { action: 'tools.stash', params }, { token: QUEUER });
      expect(sent.status).toBe(200);
      for (const id of expiring) {
        await waitFor(async () => {
          const job = await api(s.url, `/api/jobs/${id}`, { token: T.admin });
          return job.body.state === 'expired' ? true : undefined;
        }, `job ${id} to expire`);
      }
      const view = await api(s.url, `/api/jobs/${expiring[0]}`, { token: T.admin });
      expect(view.body.params).toEqual({ __dropped__: expect.any(String) });
      // The audit keeps a digest for the job that was sent, none for one whose params were dropped.
      const records = await waitFor(async () => {
        const lines = (await auditLines(auditFile)).filter((line) => line.event === 'exec');
        return lines.length === 5 ? lines : undefined;
      }, 'five exec audit records');
      const byId = new Map(records.map((line) => [line.command_id as string, line]));
      expect(byId.get(sent.body.command_id as string)?.params_digest).toMatch(/^sha256:/);
      expect(byId.get(expiring[0]!)).toMatchObject({ state: 'expired', node_id: 'ws-gone' });
      expect(byId.get(expiring[0]!)).not.toHaveProperty('params_digest');

      const db = new BetterSqlite3(path.join(dataDir, 'jobs.sqlite'), { readonly: true });
      try {
        const bytes = new Map(
          db
            .prepare<[], { command_id: string; bytes: number }>(
              'SELECT command_id, length(params) AS bytes FROM jobs',
            )
            .all()
            .map((row) => [row.command_id, row.bytes]),
        );
        // The reference in the same file: the job that was sent keeps its 200 KB.
        expect(bytes.get(sent.body.command_id as string)).toBeGreaterThan(200_000);
        for (const id of [...expiring, waiting.body.command_id as string])
          expect(bytes.get(id)).toBeLessThan(200);
      } finally {
        db.close();
      }
    } finally {
      await server?.close();
      server = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('params too deep to audit', () => {
  it('answers 400 INVALID_PARAMS and writes an audit record for params nested 50,000 deep', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-audit-'));
    const file = path.join(dir, 'audit.jsonl');
    const s = await start({ auditLog: file }, baseYaml);
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    for (const route of ['/api/nodes/ws-1/exec', '/api/exec']) {
      const target = route === '/api/exec' ? ',"target":{"nodes":["ws-1"]}' : '';
      const answer = await api(s.url, route, {
        token: T.admin,
        raw: `{"action":"tools.ping"${target},"params":{"deep":${deep}}}`,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.deep' } });
    }
    const records = await waitFor(async () => {
      const lines = (await auditLines(file)).filter((l) => l.outcome === 'INVALID_PARAMS');
      return lines.length === 2 ? lines : undefined;
    }, 'two audit records');
    for (const record of records) {
      expect(record).toMatchObject({ event: 'exec', status: 400, principal: 'admin', action: 'tools.ping' });
      expect(record.params_digest).toMatch(/^unavailable: nested deeper than/);
    }
    expect((await api(s.url, '/api/health', { token: null })).status).toBe(200);
    await rm(dir, { recursive: true, force: true });
  });
});
