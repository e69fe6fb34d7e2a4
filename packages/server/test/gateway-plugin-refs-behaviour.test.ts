import { describe, expect, it } from 'vitest';
import { api, exec, helloFor, toolsManifest, waitFor } from '@openclaw-node/test-support/server';
import { helloByRef as byRef, manifestRef as refOf, useAgentSockets } from './helpers/plugin-refs.js';
import { useTestServer } from './helpers/server.js';

const t = useTestServer({ pingIntervalMs: 300, pingTimeoutMs: 5000 });
const { connect } = useAgentSockets(() => t.url);
const fake = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
const nodes = async () =>
  (await api(t.url, '/api/nodes')).body.nodes as { node_id: string; plugins: string[] }[];

describe('server: hellos by ref', () => {
  it('drops a connection that only ever gets MANIFEST_UNKNOWN once the hello timeout passes', async () => {
    const socket = await connect('ws-001');
    const gone = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
    const start = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      if (!socket.connected) return;
      sent++;
      socket.emit('hello', byRef('ws-001', [fake(sent)]), () => undefined);
    }, 250);
    try {
      const at = await gone;
      expect(at - start).toBeLessThan(12_000);
      expect(sent).toBeGreaterThan(10);
    } finally {
      clearInterval(timer);
    }
  }, 20_000);

  it('a flood of MANIFEST_UNKNOWN hellos costs no warn line each, and the server keeps serving', async () => {
    const socket = await connect('ws-001');
    const before = t.logs.filter((l) => (l as { level: number }).level >= 40).length;
    const refs = Array.from({ length: 64 }, (_, i) => fake(i));
    const started = performance.now();
    const acks = await Promise.all(
      Array.from({ length: 500 }, () => socket.emitWithAck('hello', byRef('ws-001', refs))),
    );
    const ms = performance.now() - started;
    expect(acks.every((a) => !a.ok && a.error.code === 'MANIFEST_UNKNOWN')).toBe(true);
    const warns = t.logs.filter((l) => (l as { level: number }).level >= 40).length - before;
    expect(warns).toBeLessThan(5);
    expect(socket.connected).toBe(true);
    expect((await api(t.url, '/api/health')).status).toBeLessThan(500);
    console.log(`500 MANIFEST_UNKNOWN hellos of 64 refs: ${ms.toFixed(0)} ms, ${warns} warn lines`);
  });

  it('pluginRefs: [] alone registers a node without plugins, as plugins: [] does', async () => {
    const a = await connect('ws-001');
    expect(await a.emitWithAck('hello', byRef('ws-001', []))).toMatchObject({ ok: true, pluginRefs: {} });
    const b = await connect('ws-002');
    expect(await b.emitWithAck('hello', helloFor('ws-002', { plugins: [] }))).toMatchObject({ ok: true });
    expect((await nodes()).map((n) => [n.node_id, n.plugins])).toEqual([
      ['ws-001', []],
      ['ws-002', []],
    ]);
  });

  it('mixes plugins sent in full with refs of other plugins; refuses one name twice at different versions', async () => {
    const other = toolsManifest({ name: 'other', version: '2.0.0' });
    const seed = await connect('ws-000');
    expect(
      (
        await seed.emitWithAck(
          'hello',
          helloFor('ws-000', { plugins: [other, toolsManifest({ version: '9.9.9' })] }),
        )
      ).ok,
    ).toBe(true);
    const mixed = await connect('ws-001');
    const ack = await mixed.emitWithAck('hello', {
      ...helloFor('ws-001'),
      pluginRefs: [refOf(other)],
    });
    expect(ack).toMatchObject({
      ok: true,
      pluginRefs: { tools: refOf(toolsManifest()), other: refOf(other) },
    });
    const twice = await connect('ws-002');
    const gone = new Promise((r) => twice.once('disconnect', r));
    expect(
      await twice.emitWithAck('hello', {
        ...helloFor('ws-002'),
        pluginRefs: [refOf(toolsManifest({ version: '9.9.9' }))],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_INVALID', details: { field: 'hello.pluginRefs[0]', plugin: 'tools' } },
    });
    await gone;
  });

  it('a registered node that names an unknown ref keeps its registration; re-registering by ref swaps its plugins', async () => {
    const v2 = toolsManifest({ version: '2.0.0' });
    const seed = await connect('ws-000');
    expect((await seed.emitWithAck('hello', helloFor('ws-000', { plugins: [v2] }))).ok).toBe(true);
    const a = await connect('ws-001');
    expect((await a.emitWithAck('hello', helloFor('ws-001'))).ok).toBe(true);
    expect(await a.emitWithAck('hello', byRef('ws-001', [fake(1)]))).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_UNKNOWN' },
    });
    expect(a.connected).toBe(true);
    expect((await nodes()).map((n) => n.node_id)).toEqual(['ws-000', 'ws-001']);
    expect(await a.emitWithAck('hello', byRef('ws-001', [refOf(v2)]))).toMatchObject({
      ok: true,
      pluginRefs: { tools: refOf(v2) },
    });
    const plugin = (await api(t.url, '/api/plugins')).body.plugins.find(
      (p: { name: string }) => p.name === 'tools',
    );
    expect(plugin.nodes.map((n: { node_id: string; version: string }) => [n.node_id, n.version])).toEqual([
      ['ws-000', '2.0.0'],
      ['ws-001', '2.0.0'],
    ]);
    expect(plugin.versions).toEqual(['2.0.0']);
  });

  it('a node replaced by a connection that says hello by ref: the new one is the node, params checked', async () => {
    const old = await connect('ws-001');
    expect((await old.emitWithAck('hello', helloFor('ws-001'))).ok).toBe(true);
    const replaced = new Promise((r) => old.once('session:replaced', r));
    const fresh = await connect('ws-001');
    expect(await fresh.emitWithAck('hello', byRef('ws-001', [refOf(toolsManifest())]))).toMatchObject({
      ok: true,
    });
    await replaced;
    const refused = await exec(t.url, 'ws-001', { action: 'tools.render', params: { script: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_PARAMS');
  });

  it('a node registered by ref keeps its manifest and catalog entry while 100 others are released and evicted', async () => {
    const m = toolsManifest({ version: '7.7.7' });
    const seed = await connect('ws-000');
    expect((await seed.emitWithAck('hello', helloFor('ws-000', { plugins: [m] }))).ok).toBe(true);
    seed.close();
    await waitFor(async () => ((await nodes()).length === 0 ? true : undefined), 'seed gone');
    const a = await connect('ws-001');
    expect(await a.emitWithAck('hello', byRef('ws-001', [refOf(m)]))).toMatchObject({ ok: true });
    // Churn: 100 distinct manifests advertised and released (one connection re-registering).
    const churn = await connect('ws-002');
    for (let i = 0; i < 100; i++) {
      const ack = await churn.emitWithAck(
        'hello',
        helloFor('ws-002', { plugins: [toolsManifest({ name: `c${i}` })] }),
      );
      expect(ack.ok).toBe(true);
    }
    churn.close();
    await waitFor(async () => ((await nodes()).length === 1 ? true : undefined), 'churn gone');
    const plugins = (await api(t.url, '/api/plugins')).body;
    expect(plugins.plugins.map((p: { name: string }) => p.name)).toEqual(['tools']);
    expect(plugins.plugins[0].versions).toEqual(['7.7.7']);
    const refused = await exec(t.url, 'ws-001', { action: 'tools.render', params: { script: 1 } });
    expect(refused.body.error?.code).toBe('INVALID_PARAMS');
    // Still known by ref (a live node holds it), e.g. for a second node.
    const b = await connect('ws-003');
    expect(await b.emitWithAck('hello', byRef('ws-003', [refOf(m)]))).toMatchObject({ ok: true });
    // c0 was evicted (more than 64 released since): unknown.
    expect(
      await b.emitWithAck('hello', byRef('ws-003', [refOf(toolsManifest({ name: 'c0' }))])),
    ).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_UNKNOWN' },
    });
    expect(
      await b.emitWithAck('hello', byRef('ws-003', [refOf(toolsManifest({ name: 'c99' }))])),
    ).toMatchObject({ ok: true });
  });
});
