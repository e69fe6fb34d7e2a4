import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import { AGENT_NAMESPACE, DEFAULT_SOCKET_PATH, PROTOCOL_VERSION } from '@openclaw-node/core';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTls } from '../../src/http/tls/load-tls.js';
import { helloFor, startServer, TOKEN, waitFor, type TestServer } from '@openclaw-node/test-support/server';
import { createTestCa, type TestCa, type TestCertificate } from '@openclaw-node/test-support/tls';

let ca: TestCa;
let otherCa: TestCa;
let leaf: TestCertificate;
let dir: string;
let server: TestServer | undefined;

beforeAll(async () => {
  ca = createTestCa('Studio Test CA');
  otherCa = createTestCa('Someone Else');
  leaf = ca.issue(['localhost', '127.0.0.1']);
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-tls-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** GET over HTTPS trusting `trust` (or only the system CAs). */
function httpsGet(url: string, trust?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ...(trust ? { ca: trust } : {}), headers: { authorization: `Bearer ${TOKEN}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The certificate the server presents now. */
function presented(port: number, trust: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: trust, servername: 'localhost' }, () => {
      resolve(socket.getPeerX509Certificate()!);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('loadTls', () => {
  it('reads PEM strings or files and describes the certificate', async () => {
    const certFile = path.join(dir, 'cert.pem');
    await writeFile(certFile, leaf.cert);
    const loaded = loadTls({ cert: certFile, key: leaf.key });
    expect(loaded.files).toEqual([certFile]);
    expect(loaded.altNames).toContain('DNS:localhost');
    expect(loaded.validTo.getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a key of another certificate', () => ({ cert: leaf.cert, key: ca.key }), 'tls.key', /does not belong/],
    [
      'a cert that is not PEM',
      () => ({ cert: '-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----', key: leaf.key }),
      'tls.cert',
      /not a PEM certificate/,
    ],
    [
      'a missing file',
      () => ({ cert: '/nonexistent/cert.pem', key: leaf.key }),
      'tls.cert',
      /cannot be read from \/nonexistent\/cert.pem \(ENOENT\)/,
    ],
    [
      'an expired certificate',
      () =>
        ca.issue(['localhost'], {
          notBefore: new Date(Date.now() - 2 * 86_400_000),
          notAfter: new Date(Date.now() - 86_400_000),
        }),
      'tls.cert',
      /expired on/,
    ],
  ])('refuses %s naming the option', (_label, options, field, message) => {
    expect(() => loadTls(options())).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: { field },
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe('a server with TLS', () => {
  it('serves the REST API over HTTPS to a client trusting the studio CA, and says https in its URL', async () => {
    const s = await startServer({ tls: { cert: leaf.cert, key: leaf.key } });
    server = s;
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsGet(`${s.url}/api/health`, ca.cert);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    await expect(httpsGet(`${s.url}/api/health`)).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SELF_SIGNED|UNABLE/),
    });
    await expect(httpsGet(`${s.url}/api/health`, otherCa.cert)).rejects.toThrow();
    // A one-day test certificate: the start-up line warns that it expires soon.
    expect(s.logs.find((l) => String(l.msg).startsWith('serving HTTPS and WSS'))).toMatchObject({
      level: 40,
      days_left: 0,
      alt_names: expect.stringContaining('localhost'),
    });
  });

  it('accepts agents over WSS with the CA, and their connection fails on an untrusted certificate', async () => {
    const s = await startServer({ tls: { cert: leaf.cert, key: leaf.key } });
    server = s;
    const open = (trust?: string) =>
      io(`${s.url}${AGENT_NAMESPACE}`, {
        path: DEFAULT_SOCKET_PATH,
        transports: ['websocket'],
        auth: { token: TOKEN, nodeId: 'ws-tls', protocol: PROTOCOL_VERSION },
        reconnection: false,
        forceNew: true,
        ...(trust ? { ca: trust } : {}),
      });
    const trusted = open(ca.cert);
    try {
      await new Promise<void>((resolve, reject) => {
        trusted.once('connect', resolve);
        trusted.once('connect_error', reject);
      });
      const ack = await trusted.timeout(5000).emitWithAck('hello', helloFor('ws-tls'));
      expect(ack).toMatchObject({ ok: true });
    } finally {
      trusted.close();
    }
    const untrusted = open();
    try {
      const error = await new Promise<Error & { description?: { message?: string } }>((resolve) =>
        untrusted.once('connect_error', resolve),
      );
      expect(String(error.description?.message ?? error.message)).toMatch(/certificate|self.signed|issuer/i);
    } finally {
      untrusted.close();
    }
  });

  it('serves a renewed certificate from its files without a restart, and keeps the old one on a bad renewal', async () => {
    const certFile = path.join(dir, 'renew-cert.pem');
    const keyFile = path.join(dir, 'renew-key.pem');
    await writeFile(certFile, leaf.cert);
    await writeFile(keyFile, leaf.key);
    const s = await startServer({
      tls: { cert: certFile, key: keyFile },
      tokensFileWatch: { debounceMs: 20, pollMs: 50 },
    });
    server = s;
    const first = await presented(s.port, ca.cert);
    const renewed = ca.issue(['localhost', '127.0.0.1']);
    await writeFile(keyFile, renewed.key);
    await writeFile(certFile, renewed.cert);
    await waitFor(async () => {
      const now = await presented(s.port, ca.cert);
      return now.fingerprint256 !== first.fingerprint256 ? now : undefined;
    }, 'the renewed certificate');
    expect((await presented(s.port, ca.cert)).fingerprint256).toBe(
      new X509Certificate(renewed.cert).fingerprint256,
    );
    await writeFile(certFile, 'garbage');
    await waitFor(
      () =>
        s.logs.find((l) => l.msg === 'the new TLS certificate was refused; still serving the previous one'),
      'the refusal',
    );
    expect((await presented(s.port, ca.cert)).fingerprint256).toBe(
      new X509Certificate(renewed.cert).fingerprint256,
    );
  });
});
