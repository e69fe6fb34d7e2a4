import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '@openclaw-node/test-support/tls';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';

let dir: string;
let ca: TestCa;
const running: ReturnType<typeof start>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-cli-security-'));
  ca = createTestCa();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function httpsStatus(url: string, trust: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: trust, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('openclaw server start (security)', () => {
  it('serves HTTPS and WSS with --tls-cert/--tls-key, keeps an audit log, and takes scoped tokens from the file', async () => {
    const leaf = ca.issue(['localhost', '127.0.0.1']);
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const audit = path.join(dir, 'audit.jsonl');
    const tokens = path.join(dir, 'tokens.yaml');
    await writeFile(cert, leaf.cert);
    await writeFile(key, leaf.key);
    const made = JSON.parse(
      (await cli(['token', 'create', '--name', 'wall', '--role', 'viewer', '--json'])).stdout,
    ) as {
      token: string;
      yaml: string;
    };
    await writeFile(tokens, `tokens:\n${made.yaml}`);
    const server = start(
      [
        'server',
        'start',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--log-level',
        'silent',
        '--store',
        'memory',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
        '--audit-log',
        audit,
      ],
      { OPENCLAW_TOKENS_FILE: tokens },
    );
    running.push(server);
    const url = await waitFor(
      () => /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1],
      'the https line',
    );
    expect(server.stdout()).toContain('(1 token)');
    expect(server.stdout()).toMatch(/server_url: wss:\/\/127\.0\.0\.1:\d+\/ws/);
    expect(await httpsStatus(`${url}/api/nodes`, ca.cert, made.token)).toBe(200);
    expect(await httpsStatus(`${url}/api/nodes`, ca.cert, 'wrong-token-0123456789')).toBe(401);
    const lines = await waitFor(async () => {
      const text = await readFile(audit, 'utf8').catch(() => '');
      return text.includes('auth.failure') ? text : undefined;
    }, 'the audit line');
    expect(lines).not.toContain(made.token);
  });

  it('refuses --tls-cert without --tls-key', async () => {
    const run = await cli(
      [
        'server',
        'start',
        '--port',
        '0',
        '--log-level',
        'silent',
        '--store',
        'memory',
        '--tls-cert',
        '/x.pem',
      ],
      {
        OPENCLAW_NODE_TOKEN: 'token-0123456789abcdef',
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tls-cert and --tls-key go together');
  });

  it('refuses environment tokens shorter than 16 characters, naming the variable', async () => {
    const run = await cli(['server', 'start', '--port', '0', '--log-level', 'silent', '--store', 'memory'], {
      OPENCLAW_NODE_TOKEN: 'short',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^CONFIG_INVALID: OPENCLAW_NODE_TOKEN is 5 characters; a token needs at least 16/,
    );
    expect(run.stderr).not.toContain("'short'");
  });

  it('starts with JWT bearer auth alone', async () => {
    const server = start(
      ['server', 'start', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--store', 'memory'],
      {
        OPENCLAW_JWT_ISSUER: 'https://idp.example.com/realms/vfx',
        OPENCLAW_JWT_AUDIENCE: 'openclaw-api',
        OPENCLAW_JWT_JWKS_URL: 'https://idp.example.com/realms/vfx/protocol/openid-connect/certs',
      },
    );
    running.push(server);
    const url = await waitFor(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1],
      'the line',
    );
    expect(
      (await fetch(`${url}/api/nodes`, { headers: { authorization: 'Bearer not-a-jwt-0123456789' } })).status,
    ).toBe(401);
  });
});
