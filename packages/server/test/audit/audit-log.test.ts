import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROTOCOL_VERSION, type PluginManifest } from '@openclaw-node/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/security/audit/audit-log.js';
import { paramsDigest } from '../../src/security/audit/params-digest.js';
import { redactedParamsDigest } from '../../src/security/audit/params-digest.js';
import {
  api,
  connectAgent,
  exec,
  memoryLogger,
  openAgentSocket,
  startServer,
  TOKEN,
  toolsManifest,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

let dir: string;
let server: TestServer | undefined;
const agents: FakeAgent[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-audit-'));
});

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.close();
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

type Line = Record<string, unknown>;
const readLines = async (file: string): Promise<Line[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

const OPS = 'ops-token-0123456789abcdefghijklmnopq';
const SECRET = 'hunter2-the-vault-password';

const vault: PluginManifest = {
  name: 'vault',
  version: '1.0.0',
  description: 'Credentials',
  platforms: ['linux'],
  sdk: '1.0.0',
  actions: {
    login: {
      description: 'Log in',
      params: {
        type: 'object',
        additionalProperties: false,
        properties: { user: { type: 'string' }, password: { type: 'string', writeOnly: true } },
      },
    },
  },
};

describe('createAuditLog', () => {
  it('appends JSON lines to an existing file, one record per line, with a timestamp', async () => {
    const file = path.join(dir, 'audit.jsonl');
    await writeFile(file, '{"earlier":true}\n');
    const audit = createAuditLog({ file, logger: memoryLogger().logger });
    audit.record({ event: 'exec', outcome: 'success', reason: 'line\nbreak "quoted"' });
    audit.record({ event: 'auth.failure', outcome: 'AUTH_INVALID' });
    await audit.close();
    const lines = await readLines(file);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ earlier: true });
    expect(lines[1]).toMatchObject({ event: 'exec', reason: 'line\nbreak "quoted"' });
    expect(Date.parse(String(lines[2]!.ts))).not.toBeNaN();
  });

  it('writes to a fresh file after reopen() (logrotate moved the old one)', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const audit = createAuditLog({ file, logger: memoryLogger().logger });
    audit.record({ event: 'exec', outcome: 'first' });
    await waitFor(
      async () => ((await readFile(file, 'utf8')).includes('first') ? true : undefined),
      'the write',
    );
    await rename(file, `${file}.1`);
    audit.reopen();
    audit.record({ event: 'exec', outcome: 'second' });
    await audit.close();
    expect((await readLines(`${file}.1`)).map((l) => l.outcome)).toEqual(['first']);
    expect((await readLines(file)).map((l) => l.outcome)).toEqual(['second']);
  });

  it('refuses a file it cannot open, naming the option, and drops records without a file', () => {
    expect(() =>
      createAuditLog({ file: path.join(dir, 'missing', 'audit.jsonl'), logger: memoryLogger().logger }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: expect.objectContaining({ field: 'auditLog' }),
      }),
    );
    const off = createAuditLog({ logger: memoryLogger().logger });
    expect(off.enabled).toBe(false);
    off.record({ event: 'exec', outcome: 'success' });
  });
});

describe('the audit log of a server', () => {
  it('records connects, execs (with a redacted params digest), denials and auth failures, never a secret', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const s = await startServer({
      auditLog: file,
      tokens: [
        { name: 'test', token: TOKEN },
        { name: 'ops', token: OPS, roles: ['operator'], actions: ['tools.*'] },
      ],
    });
    server = s;
    const agent = await connectAgent(s.url, { nodeId: 'ws-7', hello: { plugins: [toolsManifest(), vault] } });
    agents.push(agent);
    const params = { user: 'alice', password: SECRET };
    const ok = await exec(s.url, 'ws-7', { action: 'vault.login', params });
    expect(ok.status).toBe(200);
    const denied = await exec(s.url, 'ws-7', { action: 'vault.login', params }, { token: OPS });
    expect(denied.status).toBe(403);
    expect((await api(s.url, '/api/nodes', { token: 'not-a-token-at-all' })).status).toBe(401);
    const refused = await openAgentSocket(s.url, {
      token: 'bad-agent-token',
      nodeId: 'ws-8',
      protocol: PROTOCOL_VERSION,
    });
    refused.socket.close();

    const lines = await waitFor(async () => {
      const all = await readLines(file);
      return all.filter((l) => l.event === 'auth.failure').length >= 2 && all.some((l) => l.event === 'exec')
        ? all
        : undefined;
    }, 'the audit records');
    const text = await readFile(file, 'utf8');
    for (const secret of [SECRET, TOKEN, OPS, 'bad-agent-token', 'not-a-token-at-all'])
      expect(text).not.toContain(secret);

    expect(lines.find((l) => l.event === 'agent.connect')).toMatchObject({
      principal: 'test',
      address: '127.0.0.1',
      node_id: 'ws-7',
      outcome: 'success',
    });
    const run = lines.find((l) => l.event === 'exec')!;
    expect(run).toMatchObject({
      principal: 'test',
      roles: ['agent', 'admin'],
      via: 'token',
      address: '127.0.0.1',
      node_id: 'ws-7',
      action: 'vault.login',
      outcome: 'success',
      state: 'succeeded',
      command_id: ok.body.command_id,
    });
    expect(run.params_digest).toBe(paramsDigest(params, vault.actions.login!.params));
    expect(run.params_digest).toBe(redactedParamsDigest({ user: 'alice', password: '[redacted]' }));
    expect(typeof run.duration_ms).toBe('number');
    expect(lines.find((l) => l.event === 'exec.denied')).toMatchObject({
      principal: 'ops',
      node_id: 'ws-7',
      action: 'vault.login',
      outcome: 'FORBIDDEN',
      status: 403,
      params_digest: run.params_digest,
    });
    const failures = lines.filter((l) => l.event === 'auth.failure');
    expect(failures.map((l) => [l.channel, l.outcome, l.address])).toEqual([
      ['rest', 'AUTH_INVALID', '127.0.0.1'],
      ['agent', 'AUTH_INVALID', '127.0.0.1'],
    ]);
    expect(failures[0]).toMatchObject({ method: 'GET', path: '/api/nodes', status: 401 });
    expect(failures[1]).toMatchObject({ node_id: 'ws-8' });
  });

  it('records a failed job with its error code, and tokens file reloads', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const tokensFile = path.join(dir, 'tokens.yaml');
    await writeFile(tokensFile, `tokens:\n  - name: admin\n    token: ${TOKEN}\n    roles: [admin, agent]\n`);
    const s = await startServer({
      tokens: [],
      tokensFile,
      tokensFileWatch: { debounceMs: 20, pollMs: 50 },
      auditLog: file,
    });
    server = s;
    agents.push(
      await connectAgent(s.url, {
        onExec: () => ({ ok: false, error: { code: 'APP_NOT_FOUND', message: 'no rv here' } }),
      }),
    );
    expect((await exec(s.url, 'ws-001', { action: 'tools.ping' })).status).toBe(422);
    await writeFile(
      tokensFile,
      `tokens:\n  - name: admin2\n    token: ${TOKEN}\n    roles: [admin, agent]\n`,
    );
    const lines = await waitFor(async () => {
      const all = await readLines(file);
      return all.some((l) => l.event === 'token.reload') && all.some((l) => l.event === 'exec')
        ? all
        : undefined;
    }, 'the records');
    expect(lines.find((l) => l.event === 'exec')).toMatchObject({
      outcome: 'APP_NOT_FOUND',
      state: 'failed',
    });
    expect(lines.find((l) => l.event === 'token.reload')).toMatchObject({
      outcome: 'success',
      added: ['admin2'],
      removed: ['admin'],
      file: tokensFile,
    });
  });
});
