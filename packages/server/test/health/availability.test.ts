import type { PluginManifest } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { NodeRegistry, type NodeSession } from '../../src/nodes/node-registry.js';
import { PluginCatalog } from '../../src/nodes/plugin-catalog.js';
import { toolsManifest } from '@openclaw-node/test-support/server';
import { CHECKED_AT, playerManifest, rvInstalled, rvMissing, toolsOk } from './health-fixtures.js';

function register(
  registry: NodeRegistry,
  catalog: PluginCatalog,
  nodeId: string,
  manifests: PluginManifest[],
  extra: Partial<NodeSession> = {},
): NodeSession {
  const now = new Date();
  const plugins = catalog.admit(manifests);
  const session: NodeSession = {
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
    ...extra,
  };
  registry.register(session);
  return session;
}

function setup() {
  const registry = new NodeRegistry();
  const catalog = new PluginCatalog(registry);
  return { registry, catalog };
}

describe('NodeRegistry.availability', () => {
  it('follows the plugin health, with per-action exceptions', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [playerManifest()], {
      health: [
        rvInstalled({ actions: { push_sources: { available: false, reason: 'no RV listens for rvpush' } } }),
      ],
    });
    expect(registry.availability('ws-001', 'rv', 'open_sources')).toEqual({ available: true });
    expect(registry.availability('ws-001', 'rv', 'push_sources')).toEqual({
      available: false,
      reason: 'no RV listens for rvpush',
    });
  });

  it('says why a plugin cannot run: not installed, platform, not loaded, unknown', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [playerManifest(), toolsManifest()], {
      skipped: [
        { name: 'resolve', reason: 'supports windows, darwin only; this node runs linux' },
        { name: 'nuke', reason: 'plugin nuke could not be loaded: boom' },
      ],
      health: [
        rvMissing(),
        {
          plugin: 'resolve',
          available: false,
          reason: 'platform unsupported (supports windows, darwin only; this node runs linux)',
          checkedAt: CHECKED_AT,
        },
      ],
    });
    expect(registry.availability('ws-001', 'rv', 'open_sources')).toEqual({
      available: false,
      reason: 'rv was not found (looked in /opt/rv/bin/rv, PATH)',
    });
    expect(registry.availability('ws-001', 'resolve', 'create_timeline')).toEqual({
      available: false,
      reason: 'platform unsupported (supports windows, darwin only; this node runs linux)',
    });
    expect(registry.availability('ws-001', 'nuke', 'render_write')).toEqual({
      available: false,
      reason: 'nuke not loaded: plugin nuke could not be loaded: boom',
    });
    expect(registry.availability('ws-001', 'shotgrid', 'publish_version')).toEqual({
      available: false,
      reason: 'node ws-001 has no plugin shotgrid',
    });
    expect(registry.availability('ws-001', 'rv', 'nope')).toEqual({
      available: false,
      reason: 'plugin rv on node ws-001 has no action nope',
    });
    expect(registry.availability('ws-404', 'rv', 'open_sources')).toEqual({
      available: false,
      reason: 'node ws-404 is not connected',
    });
  });

  it('counts a plugin never checked as available', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [toolsManifest()]);
    expect(registry.availability('ws-001', 'tools', 'render')).toEqual({ available: true });
  });

  it('keeps an unknown-state reason while still counting the plugin available', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [toolsManifest()], {
      health: [{ ...toolsOk(), reason: 'unknown: the plugin has no ping action to check it with' }],
    });
    expect(registry.availability('ws-001', 'tools', 'render')).toEqual({
      available: true,
      reason: 'unknown: the plugin has no ping action to check it with',
    });
  });
});

describe('NodeRegistry.setHealth', () => {
  it('tells listeners about a change, and only about a change', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [playerManifest()], { health: [rvMissing()] });
    const events: string[] = [];
    registry.onChange(({ type, session }) => events.push(`${type}:${session.nodeId}`));
    expect(
      registry.setHealth('ws-001', 'ws-001-conn', [rvMissing({ checkedAt: new Date().toISOString() })]),
    ).toBe(false);
    expect(events).toEqual([]);
    expect(registry.setHealth('ws-001', 'ws-001-conn', [rvInstalled()])).toBe(true);
    expect(events).toEqual(['health:ws-001']);
    expect(registry.availability('ws-001', 'rv', 'open_sources')).toEqual({ available: true });
  });

  it('ignores health from a connection that is not the node’s current one', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [playerManifest()], { health: [rvMissing()] });
    expect(registry.setHealth('ws-001', 'old-conn', [rvInstalled()])).toBe(false);
    expect(registry.setHealth('ws-404', 'ws-404-conn', [rvInstalled()])).toBe(false);
    expect(registry.availability('ws-001', 'rv', 'open_sources').available).toBe(false);
  });

  it('rebuilds the cached catalog after a health change', () => {
    const { registry, catalog } = setup();
    register(registry, catalog, 'ws-001', [playerManifest()], { health: [rvMissing()] });
    const before = catalog.response();
    expect(catalog.response()).toBe(before);
    expect(before.plugins[0]!.nodes[0]).toMatchObject({ available: false });
    registry.setHealth('ws-001', 'ws-001-conn', [rvInstalled()]);
    const after = catalog.response();
    expect(after).not.toBe(before);
    expect(after.plugins[0]!.nodes[0]).toMatchObject({ available: true, app_version: '2024.1.0' });
  });
});
