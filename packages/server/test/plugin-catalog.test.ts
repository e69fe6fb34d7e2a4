import { createSchemaCompiler, type PluginManifest } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { NodeRegistry, type NodeSession } from '../src/nodes/node-registry.js';
import { PluginCatalog, hashManifest, type ParamsCompiler } from '../src/nodes/plugin-catalog.js';
import { toolsManifest } from '@openclaw-node/test-support/server';

function countingCompiler(): ParamsCompiler & { compiles: number } {
  const inner = createSchemaCompiler({ allErrors: false });
  const counter = {
    compiles: 0,
    ajv: inner.ajv,
    compile: (schema: Record<string, unknown>, root?: string) => {
      counter.compiles += 1;
      return inner.compile(schema, root);
    },
  };
  return counter;
}

function session(
  registry: NodeRegistry,
  catalog: PluginCatalog,
  nodeId: string,
  manifests: PluginManifest[],
): NodeSession {
  const now = new Date();
  const plugins = catalog.admit(manifests);
  const s: NodeSession = {
    nodeId,
    hostname: nodeId,
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: [],
    plugins: new Map(plugins.map((p) => [p.manifest.name, p])),
    skipped: [],
    connectedAt: now,
    lastSeenAt: now,
    connection: { id: `${nodeId}-conn`, sendExec: () => () => {}, sendCancel: () => {}, replace: () => {} },
  };
  registry.register(s);
  return s;
}

describe('PluginCatalog', () => {
  it('compiles the validators of a distinct manifest once, however many nodes advertise it', () => {
    const compiler = countingCompiler();
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry, { compiler });
    const actions = Object.keys(toolsManifest().actions).length;
    for (let i = 0; i < 5; i++) session(registry, catalog, `ws-${i}`, [toolsManifest()]);
    expect(compiler.compiles).toBe(actions);
    session(registry, catalog, 'ws-new', [toolsManifest({ version: '1.1.0' })]);
    expect(compiler.compiles).toBe(2 * actions);
  });

  it('never compiles while validating', () => {
    const compiler = countingCompiler();
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry, { compiler });
    const s = session(registry, catalog, 'ws-1', [toolsManifest()]);
    const before = compiler.compiles;
    const validate = catalog.validator(s.plugins.get('tools')!.hash, 'open_folder')!;
    for (let i = 0; i < 100; i++) validate({ path: `/show/${i}` });
    expect(validate({ path: 'relative' })).toEqual([
      expect.objectContaining({ field: 'params.path', keyword: 'format' }),
    ]);
    expect(compiler.compiles).toBe(before);
  });

  it('keeps compiled validators of a manifest whose node reconnects', () => {
    const compiler = countingCompiler();
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry, { compiler });
    const s = session(registry, catalog, 'ws-1', [toolsManifest()]);
    registry.unregister('ws-1', s.connection.id);
    const before = compiler.compiles;
    session(registry, catalog, 'ws-1', [toolsManifest()]);
    expect(compiler.compiles).toBe(before);
  });

  it('forgets released manifests past the retention limit', () => {
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry, { retainReleased: 1 });
    const a = session(registry, catalog, 'ws-a', [toolsManifest({ version: '1.0.0' })]);
    const b = session(registry, catalog, 'ws-b', [toolsManifest({ version: '2.0.0' })]);
    registry.unregister('ws-a', a.connection.id);
    registry.unregister('ws-b', b.connection.id);
    expect(catalog.validator(a.plugins.get('tools')!.hash, 'ping')).toBeUndefined();
    expect(catalog.validator(b.plugins.get('tools')!.hash, 'ping')).toBeTypeOf('function');
  });

  it('accepts two plugins whose params schemas share an $id', () => {
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry);
    const withId = (name: string): PluginManifest =>
      toolsManifest({
        name,
        actions: { go: { description: 'Go', params: { $id: 'https://x/params.json', type: 'object' } } },
      });
    expect(() => catalog.admit([withId('one'), withId('two')])).not.toThrow();
  });

  it('hashes equal manifests equally, whatever the key order', () => {
    const m = toolsManifest();
    const reordered = Object.fromEntries(Object.entries(m).reverse()) as unknown as PluginManifest;
    expect(hashManifest(reordered)).toBe(hashManifest(m));
    expect(hashManifest(toolsManifest({ version: '9.9.9' }))).not.toBe(hashManifest(m));
  });

  it('caches the catalog response until a node connects or leaves', () => {
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry);
    const first = catalog.response();
    expect(catalog.response()).toBe(first);
    const s = session(registry, catalog, 'ws-1', [toolsManifest()]);
    const second = catalog.response();
    expect(second).not.toBe(first);
    expect(second.count).toBe(1);
    expect(catalog.response()).toBe(second);
    registry.unregister('ws-1', s.connection.id);
    expect(catalog.response().count).toBe(0);
  });

  it('orders versions by semver, prereleases before their release', () => {
    const registry = new NodeRegistry();
    const catalog = new PluginCatalog(registry);
    ['1.2.0', '1.10.0', '1.10.0-beta.2', '1.10.0-beta.10', '0.9.0'].forEach((version, i) =>
      session(registry, catalog, `ws-${i}`, [toolsManifest({ version })]),
    );
    expect(catalog.get('tools')!.versions).toEqual([
      '1.10.0',
      '1.10.0-beta.10',
      '1.10.0-beta.2',
      '1.2.0',
      '0.9.0',
    ]);
  });
});
