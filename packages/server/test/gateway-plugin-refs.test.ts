import { MANIFEST_LIMITS } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { api, exec, helloFor, toolsManifest, waitFor } from '@openclaw-node/test-support/server';
import { helloByRef, manifestRef as refOf, useAgentSockets } from './helpers/plugin-refs.js';
import { useTestServer } from './helpers/server.js';

const t = useTestServer({ pingIntervalMs: 300, pingTimeoutMs: 5000 });
const { connect } = useAgentSockets(() => t.url);

/** A hello that names its manifests by ref (no `plugins` field). */
const byRef = (nodeId: string, refs: unknown): Record<string, unknown> => helloByRef(nodeId, refs);

const nodeIds = async (): Promise<string[]> =>
  (await api<{ nodes: { node_id: string }[] }>(t.url, '/api/nodes')).body.nodes.map((n) => n.node_id);

describe('hello with manifests named by ref', () => {
  it('asks for manifests it has not seen without dropping the connection, then takes them by ref from any agent', async () => {
    const manifest = toolsManifest();
    const ref = refOf(manifest);
    const first = await connect('ws-001');
    const unknown = await first.emitWithAck('hello', byRef('ws-001', [ref]) as never);
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_UNKNOWN', details: { field: 'hello.pluginRefs', refs: [ref] } },
    });
    expect(first.connected).toBe(true);
    expect(await nodeIds()).toEqual([]);
    // The same connection sends them in full; the ack gives their refs.
    const full = await first.emitWithAck('hello', helloFor('ws-001', { plugins: [manifest] }));
    expect(full).toEqual({ ok: true, serverVersion: expect.any(String), pluginRefs: { tools: ref } });

    const second = await connect('ws-002');
    const taken = await second.emitWithAck('hello', byRef('ws-002', [ref]) as never);
    expect(taken).toEqual({ ok: true, serverVersion: expect.any(String), pluginRefs: { tools: ref } });
    expect(await nodeIds()).toEqual(['ws-001', 'ws-002']);
    const node = (await api<{ plugins: string[] }>(t.url, '/api/nodes/ws-002')).body;
    expect(node.plugins).toEqual(['tools']);
    // Its params are checked as for a manifest sent in full.
    const refused = await exec(t.url, 'ws-002', { action: 'tools.ping', params: { extra: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_PARAMS');
  });

  it('still knows a manifest after every node advertising it left', async () => {
    const manifest = toolsManifest({ version: '3.1.4' });
    const first = await connect('ws-001');
    expect((await first.emitWithAck('hello', helloFor('ws-001', { plugins: [manifest] }))).ok).toBe(true);
    first.close();
    await waitFor(async () => ((await nodeIds()).length === 0 ? true : undefined), 'ws-001 gone');
    const second = await connect('ws-002');
    expect(await second.emitWithAck('hello', byRef('ws-002', [refOf(manifest)]) as never)).toMatchObject({
      ok: true,
    });
  });

  it('never knows a manifest by the ref of one it refused', async () => {
    const invalid = { ...toolsManifest(), actions: {} };
    const first = await connect('ws-001');
    expect(await first.emitWithAck('hello', helloFor('ws-001', { plugins: [invalid] }))).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_INVALID' },
    });
    const second = await connect('ws-002');
    expect(await second.emitWithAck('hello', byRef('ws-002', [refOf(invalid)]) as never)).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_UNKNOWN' },
    });
  });

  const bad = (): [string, Record<string, unknown>, string, string][] => {
    const ref = refOf(toolsManifest());
    return [
      ['refs that are not a list', { pluginRefs: ref }, 'INVALID_BODY', 'hello.pluginRefs'],
      [
        'a ref of another hash',
        { pluginRefs: [`md5:${'0'.repeat(32)}`] },
        'INVALID_BODY',
        'hello.pluginRefs[0]',
      ],
      ['a ref in capitals', { pluginRefs: [ref.toUpperCase()] }, 'INVALID_BODY', 'hello.pluginRefs[0]'],
      [
        'a ref of 100 KB',
        { pluginRefs: [`sha256:${'a'.repeat(100_000)}`] },
        'INVALID_BODY',
        'hello.pluginRefs[0]',
      ],
      ['a ref twice', { pluginRefs: [ref, ref] }, 'INVALID_BODY', 'hello.pluginRefs'],
      [
        'more refs than plugins an agent may have',
        {
          pluginRefs: Array.from(
            { length: MANIFEST_LIMITS.maxPlugins + 1 },
            (_, i) => `sha256:${i.toString(16).padStart(64, '0')}`,
          ),
        },
        'INVALID_BODY',
        'hello.pluginRefs',
      ],
      ['neither plugins nor refs', {}, 'INVALID_BODY', 'hello.plugins'],
    ];
  };

  it.each(bad())('refuses %s, naming the field, and disconnects', async (_label, change, code, field) => {
    const socket = await connect('ws-001');
    const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
    const { plugins: _sent, ...rest } = helloFor('ws-001');
    const ack = await socket.emitWithAck('hello', { ...rest, ...change } as never);
    expect(ack).toMatchObject({ ok: false, error: { code, details: expect.objectContaining({ field }) } });
    await disconnected;
    expect(await nodeIds()).toEqual([]);
  });

  it('refuses a plugin sent in full and named by ref at once, and plugins and refs over the limit together', async () => {
    const manifest = toolsManifest();
    const seed = await connect('ws-000');
    expect((await seed.emitWithAck('hello', helloFor('ws-000', { plugins: [manifest] }))).ok).toBe(true);
    const twice = await connect('ws-001');
    expect(
      await twice.emitWithAck('hello', {
        ...helloFor('ws-001', { plugins: [manifest] }),
        pluginRefs: [refOf(manifest)],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'MANIFEST_INVALID', details: { field: 'hello.pluginRefs[0]' } },
    });
    const many = await connect('ws-002');
    const plugins = Array.from({ length: MANIFEST_LIMITS.maxPlugins }, (_, i) =>
      toolsManifest({ name: `p${i}` }),
    );
    expect(
      await many.emitWithAck('hello', { ...helloFor('ws-002', { plugins }), pluginRefs: [refOf(manifest)] }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_BODY', details: { field: 'hello.pluginRefs' } } });
    expect(await nodeIds()).toEqual(['ws-000']);
  });
});
