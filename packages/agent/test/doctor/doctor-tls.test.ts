import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rvPlugin } from '@openclaw-node/plugins';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentInit, runDoctor, type DoctorReport } from '../../src/index.js';
import { createTestCa } from '@openclaw-node/test-support/tls';
import { serviceState, writeNodeConfig } from './support/doctor-fixtures.js';
import { installFakeRv, pathWith } from './support/fake-apps.js';
import { AGENT_TOKEN } from './support/real-server.js';

let dir: string;
let env: NodeJS.ProcessEnv;
let caFile: string;
let otherCaFile: string;
let serverUrl: string;
let server: OpenClawServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-doctor-tls-'));
  // A studio's private CA: its certificate is in no system list, so only ca: makes the server trusted.
  const ca = createTestCa('Studio CA');
  const leaf = ca.issue(['localhost', '127.0.0.1']);
  caFile = path.join(dir, 'studio-ca.pem');
  otherCaFile = path.join(dir, 'other-ca.pem');
  await writeFile(caFile, ca.cert);
  await writeFile(otherCaFile, createTestCa('Someone Else').cert);
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'agents', token: AGENT_TOKEN, roles: ['agent'] }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
    tls: { cert: leaf.cert, key: leaf.key },
  });
  const { port } = await server.listen();
  serverUrl = `wss://localhost:${port}/ws`;
  const { bin } = await installFakeRv(dir);
  env = { HOME: dir, PATH: pathWith(bin), DISPLAY: ':0' };
  await mkdir(path.join(dir, 'projects'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function doctor(lines: Record<string, string>): Promise<DoctorReport> {
  const configPath = await writeNodeConfig(path.join(dir, 'cfg'), {
    node_id: 'ws-tls',
    server_url: serverUrl,
    auth_token: AGENT_TOKEN,
    plugins: '[rv]',
    allowed_paths: `[${path.join(dir, 'projects')}]`,
    ...lines,
  });
  return runDoctor({
    configPath,
    env,
    cwd: dir,
    platform: 'linux',
    registry: { rv: rvPlugin },
    timeoutMs: 15_000,
    slowServerMs: Number.POSITIVE_INFINITY,
    serviceStatus: async () => serviceState(),
  });
}

const byId = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id);

describe('runDoctor against a server with a private-CA certificate', () => {
  it('trusts the CA of ca: for the health route and the handshake', async () => {
    const report = await doctor({ ca: caFile });
    expect(byId(report, 'server')).toMatchObject({ status: 'ok' });
    expect(byId(report, 'server')?.detail).toMatch(
      /^https:\/\/localhost:\d+\/api\/health answered in \d+ ms/,
    );
    expect(byId(report, 'token')).toMatchObject({ status: 'ok' });
    expect(byId(report, 'token')?.detail).toContain('accepted the token for node ws-tls');
  });

  it('fails without ca:, saying the certificate is not trusted and to set ca:', async () => {
    const report = await doctor({});
    expect(report.ok).toBe(false);
    const serverCheck = byId(report, 'server');
    expect(serverCheck).toMatchObject({ status: 'fail', data: { code: 'TLS_UNTRUSTED' } });
    expect(serverCheck?.detail).toMatch(
      /certificate is not trusted: set ca: .* \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+)\)$/,
    );
    expect(serverCheck?.fix).toMatch(/^Set ca: in .*node_config\.yaml to the PEM file of the CA/);
    expect(byId(report, 'token')).toMatchObject({ status: 'fail', data: { code: 'TLS_UNTRUSTED' } });
    expect(byId(report, 'token')?.fix).toContain('Fix the server connection first');
  });

  it('fails with a ca: of another CA, naming the file', async () => {
    const report = await doctor({ ca: otherCaFile });
    const serverCheck = byId(report, 'server');
    expect(serverCheck).toMatchObject({ status: 'fail', data: { code: 'TLS_UNTRUSTED' } });
    expect(serverCheck?.detail).toContain(`ca: ${otherCaFile} in node_config.yaml does not vouch for it`);
    expect(serverCheck?.fix).toContain(`ca: ${otherCaFile} does not vouch for the server's certificate`);
  });

  it('fails with a ca: file that cannot be used, and says what it must hold', async () => {
    const notPem = path.join(dir, 'not-a-cert.pem');
    await writeFile(notPem, 'hello\n');
    for (const ca of [path.join(dir, 'missing.pem'), notPem]) {
      const report = await doctor({ ca });
      const serverCheck = byId(report, 'server');
      expect(serverCheck).toMatchObject({ status: 'fail', data: { code: 'CONFIG_INVALID' } });
      expect(serverCheck?.detail).toMatch(/^ca (cannot be read from|.* holds no PEM certificate)/);
      expect(serverCheck?.fix).toMatch(/^Point ca: in .* at a readable PEM file/);
      expect(byId(report, 'token')).toMatchObject({ status: 'fail', data: { code: 'CONFIG_INVALID' } });
    }
  });
});

describe('runAgentInit against a server with a private-CA certificate', () => {
  it('tests the connection with the ca: of the config it updates', async () => {
    const configPath = path.join(dir, 'init', 'node_config.yaml');
    await mkdir(path.dirname(configPath), { recursive: true });
    await writeFile(configPath, `# our studio CA\nca: ${caFile}\n`, { mode: 0o600 });
    const result = await runAgentInit({
      configPath,
      env,
      cwd: dir,
      platform: 'linux',
      registry: { rv: rvPlugin },
      timeoutMs: 15_000,
      server: serverUrl,
      token: AGENT_TOKEN,
      nodeId: 'ws-tls',
      allowedPaths: [path.join(dir, 'projects')],
      force: true,
    });
    expect(result.connection).toMatchObject({ ok: true, health: { ok: true }, handshake: { ok: true } });
    expect(await readFile(configPath, 'utf8')).toContain(`ca: ${caFile}`);
  });
});
