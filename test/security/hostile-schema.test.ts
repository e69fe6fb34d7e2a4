import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManifest } from '@openclaw-node/core';
import { connectAgent, TOKEN, toolsManifest, type FakeAgent } from '@openclaw-node/test-support/server';

/**
 * Issue 11, High 2: a hostile agent advertises a schema whose pattern backtracks catastrophically
 * (`^(a+)+$`), and an operator's exec sends it `aaaa…a!`. The server runs in a child process, so a
 * frozen event loop shows as requests that never answer (each is given up after REQUEST_LIMIT_MS,
 * a bound on the test, not a speed assertion) instead of freezing the test runner itself. With the
 * native engine the exec below would take 2^40 steps; the requests timed out and the other agent
 * was dropped.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const REQUEST_LIMIT_MS = 15_000;
const EVIL = `${'a'.repeat(40)}!`;

let child: Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid'>;
let base: string;
let good: FakeAgent;
let evil: FakeAgent;

const hostileManifest = (params: Record<string, unknown>, name = 'evil'): PluginManifest =>
  toolsManifest({
    name,
    actions: { run: { description: 'Run', params: { type: 'object', ...params } } },
  });

async function api(
  route: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + route, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  const started = execa(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', path.join(here, 'fixtures/server-child.ts')],
    { env: { HOSTILE_SERVER_TOKEN: TOKEN }, reject: false, forceKillAfterDelay: 2000 },
  );
  child = started;
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void started.then((result) => reject(new Error(`the server exited: ${String(result.stderr)}`)));
  });
  good = await connectAgent(base, { nodeId: 'ws-good' });
  evil = await connectAgent(base, {
    nodeId: 'ws-evil',
    hello: {
      tags: ['comp'],
      plugins: [
        hostileManifest({
          properties: { name: { type: 'string', pattern: '^(a+)+$' } },
          patternProperties: { '^(b+)+$': { type: 'string' } },
        }),
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  good?.close();
  evil?.close();
  child?.kill('SIGTERM');
  await child;
});

describe('a hostile agent schema cannot freeze the server (issue 11, High 2)', () => {
  it('admits the catastrophic pattern: on the linear-time engine it is harmless', () => {
    expect(evil.helloAck).toMatchObject({ ok: true });
    expect(good.helloAck).toMatchObject({ ok: true });
  });

  it('validates aaaa…a! against ^(a+)+$ at once, and health and the other agent keep being served', async () => {
    const [refused, health] = await Promise.all([
      api('/api/nodes/ws-evil/exec', { action: 'evil.run', params: { name: EVIL } }),
      api('/api/health'),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { code: 'INVALID_PARAMS', details: { field: 'params.name' } },
    });
    expect(evil.execs).toEqual([]);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', nodes_connected: 2 } });
  });

  it('routes a fan-out by tag through the hostile schema without stalling (patternProperties too)', async () => {
    const fanout = await api('/api/exec', {
      action: 'evil.run',
      target: { tags: ['comp'] },
      params: { [`${'b'.repeat(40)}!`]: 'x', name: EVIL },
    });
    expect(fanout.status).toBeLessThan(500);
    expect(JSON.stringify(fanout.body)).toContain('INVALID_PARAMS');
    expect(evil.execs).toEqual([]);
  });

  it('keeps the other agent connected and serving', async () => {
    const ping = await api('/api/nodes/ws-good/exec', { action: 'tools.ping', params: {} });
    expect(ping).toMatchObject({ status: 200, body: { status: 'success', node_id: 'ws-good' } });
    expect(good.connected).toBe(true);
    expect(good.disconnectReason).toBeUndefined();
    expect(evil.connected).toBe(true);
  });

  it('refuses at hello, with a stable code naming the field, a pattern that would differ or cost too much', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { properties: { name: { type: 'string', pattern: '^(a)\\1$' } } },
        'MANIFEST_INVALID',
        'manifest.actions.run.params.properties.name.pattern',
      ],
      [
        { properties: { name: { type: 'string', pattern: '(?=a)a' } } },
        'MANIFEST_INVALID',
        'manifest.actions.run.params.properties.name.pattern',
      ],
      [
        { properties: { name: { type: 'string', pattern: 'x'.repeat(2000) } } },
        'SCHEMA_LIMIT_EXCEEDED',
        'manifest.actions.run.params.properties.name.pattern',
      ],
    ];
    for (const [params, code, field] of cases) {
      const agent = await connectAgent(base, {
        nodeId: 'ws-refused',
        hello: { plugins: [hostileManifest(params)] },
      });
      expect(agent.helloAck).toMatchObject({
        ok: false,
        error: { code, details: { plugin: 'evil', field } },
      });
      agent.close();
    }
    const health = await api('/api/health');
    expect(health.body).toMatchObject({ status: 'ok', nodes_connected: 2 });
  });
});
