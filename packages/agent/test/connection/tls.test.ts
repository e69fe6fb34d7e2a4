import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent } from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';
import { createTestCa, type TestCa, type TestCertificate } from '@openclaw-node/test-support/tls';

const TOKEN = 'agent-tls-token-0123456789abcdefghij';

let ca: TestCa;
let leaf: TestCertificate;
let dir: string;
let caFile: string;
let otherCaFile: string;
const servers: OpenClawServer[] = [];
const agents: Agent[] = [];

beforeAll(async () => {
  ca = createTestCa('Studio CA');
  leaf = ca.issue(['localhost', '127.0.0.1']);
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-agent-tls-'));
  caFile = path.join(dir, 'studio-ca.pem');
  otherCaFile = path.join(dir, 'other-ca.pem');
  await writeFile(caFile, ca.cert);
  await writeFile(otherCaFile, createTestCa('Someone Else').cert);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tlsServer(extra: Partial<Parameters<typeof createServer>[0]> = {}): Promise<number> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'ws-042', token: TOKEN, roles: ['agent'], nodes: ['ws-042'] }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
    tls: { cert: leaf.cert, key: leaf.key },
    ...extra,
  });
  servers.push(server);
  return (await server.listen()).port;
}

function agent(
  serverUrl: string,
  extra: Record<string, unknown> = {},
): { agent: Agent; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = resolveAgentConfig(
    { node_id: 'ws-042', server_url: serverUrl, auth_token: TOKEN, plugins: ['demo'], ...extra },
    { env: {} },
  );
  const a = createAgent({
    config,
    logger: pino({ level: 'debug' }, sink),
    registry: testRegistry,
    platform: 'linux',
    backoff: { initialMs: 50, maxMs: 100 },
  });
  agents.push(a);
  a.start();
  return { agent: a, logs };
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('agent over wss://', () => {
  it('connects to a server whose certificate the ca: file vouches for', async () => {
    const port = await tlsServer();
    const { agent: a } = agent(`wss://localhost:${port}/ws`, { ca: caFile });
    await a.ready;
  });

  it('refuses an untrusted certificate with a clear message, and keeps retrying', async () => {
    const port = await tlsServer();
    const { agent: a, logs } = agent(`wss://localhost:${port}/ws`);
    const refusals = await until(() => {
      const found = logs.filter((l) => l.code === 'TLS_UNTRUSTED');
      return found.length >= 2 ? found : undefined;
    }, 'two refused attempts');
    expect(refusals[0]).toMatchObject({
      level: 50,
      msg: "the server's certificate is not trusted: set ca: in node_config.yaml to your studio CA; retrying",
      reason: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|ISSUER/),
    });
    const outcome = await Promise.race([a.stopped.then(() => 'stopped'), Promise.resolve('running')]);
    expect(outcome).toBe('running');
  });

  it('names the ca: file when it does not vouch for the certificate', async () => {
    const port = await tlsServer();
    const { logs } = agent(`wss://localhost:${port}/ws`, { ca: otherCaFile });
    const refusal = await until(() => logs.find((l) => l.code === 'TLS_UNTRUSTED'), 'the refusal');
    expect(String(refusal.msg)).toContain(`ca: ${otherCaFile} in node_config.yaml does not vouch for it`);
  });

  it('says when the certificate is for another host name', async () => {
    const elsewhere = ca.issue(['pipeline.studio.example']);
    const port = await tlsServer({ tls: { cert: elsewhere.cert, key: elsewhere.key } });
    const { logs } = agent(`wss://localhost:${port}/ws`, { ca: caFile });
    const refusal = await until(() => logs.find((l) => l.code === 'TLS_UNTRUSTED'), 'the refusal');
    expect(refusal).toMatchObject({ reason: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(String(refusal.msg)).toContain('for another host name');
  });

  it('refuses a ca: file that holds no certificate, naming the setting', () => {
    expect(() => agent('wss://localhost:1/ws', { ca: path.join(dir, 'missing.pem') })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', details: expect.objectContaining({ field: 'ca' }) }),
    );
    expect(() =>
      resolveAgentConfig({ server_url: 'wss://s/ws', auth_token: 'x', ca: 'relative.pem' }, { env: {} }),
    ).toThrow(/ca must be an absolute path/);
  });

  it('warns that ws:// to another machine sends the token in clear text', () => {
    const { logs } = agent('ws://pipeline.studio.example:8765/ws');
    expect(logs.find((l) => String(l.msg).startsWith('server_url is not encrypted'))).toMatchObject({
      level: 40,
    });
  });
});

describe('a revoked agent', () => {
  it('stops with the reason the server gave when its token is removed from the tokens file', async () => {
    const tokensFile = path.join(dir, 'tokens.yaml');
    const entry = `  - name: ws-042\n    token: ${TOKEN}\n    roles: [agent]\n    nodes: [ws-042]\n`;
    await writeFile(tokensFile, `tokens:\n${entry}`);
    const port = await tlsServer({ tokens: [], tokensFile, tokensFileWatch: { debounceMs: 20, pollMs: 50 } });
    const { agent: a } = agent(`wss://localhost:${port}/ws`, { ca: caFile });
    await a.ready;
    await writeFile(
      tokensFile,
      `tokens:\n  - name: other\n    token: other-token-0123456789abcdef\n    roles: [agent]\n`,
    );
    const stopped = await a.stopped;
    expect(stopped.code).toBe('AUTH_INVALID');
    expect(stopped.message).toContain('The token of this agent was revoked');
  });
});
