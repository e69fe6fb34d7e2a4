import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import { createRegistrySource, loadPluginCatalog } from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';

const logger = pino({ level: 'silent' });
const load = (entries: string[], platform: 'linux' | 'windows' = 'linux') =>
  loadPluginCatalog({ entries, sources: [createRegistrySource(testRegistry)], platform, logger });

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isOpenClawError(error)) return { code: error.code, message: error.message };
  }
  throw new Error('expected an OpenClawError');
}

describe('loadPluginCatalog', () => {
  it('loads plugins and advertises their JSON manifests', async () => {
    const catalog = await load(['demo']);
    expect([...catalog.plugins.keys()]).toEqual(['demo']);
    expect(catalog.manifests[0]).toMatchObject({
      name: 'demo',
      version: '1.2.0',
      sdk: '1.0.0',
      platforms: ['windows', 'darwin', 'linux'],
    });
    expect(JSON.parse(JSON.stringify(catalog.manifests))).toEqual(catalog.manifests);
    expect(catalog.skipped).toEqual([]);
    expect(catalog.findAction('demo.echo').id).toBe('demo.echo');
  });

  it('skips, with reasons, what it cannot load and keeps the rest', async () => {
    const catalog = await load(['demo', 'winonly', 'future', 'badmanifest', 'impostor', 'fake', 'nosuch']);
    expect([...catalog.plugins.keys()]).toEqual(['demo']);
    expect(catalog.skipped).toEqual([
      {
        entry: 'winonly',
        name: 'winonly',
        reason: 'supports windows only; this node runs linux',
        code: 'PLATFORM_UNSUPPORTED',
      },
      {
        entry: 'future',
        name: 'future',
        code: 'PLUGIN_LOAD_FAILED',
        reason:
          'plugin future was built with plugin SDK 2.0.0, but this agent has plugin SDK 1.0.0 (the major versions must match): install a plugin version built for SDK 1.x or a matching agent',
      },
      {
        entry: 'badmanifest',
        name: 'badmanifest',
        code: 'PLUGIN_LOAD_FAILED',
        reason: expect.stringMatching(
          /^plugin badmanifest has an invalid manifest: manifest.version must match pattern/,
        ),
      },
      {
        entry: 'impostor',
        name: 'impostor',
        code: 'PLUGIN_LOAD_FAILED',
        reason:
          'plugin impostor is named "demo", like the plugin already loaded from "demo": two plugins cannot share a name, so only the first is loaded',
      },
      {
        entry: 'fake',
        name: 'fake',
        code: 'PLUGIN_LOAD_FAILED',
        reason:
          'plugin fake from built-in plugins is not a plugin made with definePlugin() from @openclaw-node/plugin-sdk',
      },
      {
        entry: 'nosuch',
        name: 'nosuch',
        code: 'PLUGIN_NOT_FOUND',
        reason: expect.stringMatching(/^no plugin is named "nosuch" \(available: badmanifest, demo, fake/),
      },
    ]);
    expect([...catalog.unsupported]).toEqual([['winonly', 'supports windows only; this node runs linux']]);
  });

  it('loads a plugin on the platform it supports', async () => {
    const catalog = await load(['winonly'], 'windows');
    expect(catalog.manifests.map((m) => m.name)).toEqual(['winonly']);
  });

  it('tells apart unknown actions, unknown plugins and plugins for another platform', async () => {
    const catalog = await load(['demo', 'winonly']);
    expect(errorOf(() => catalog.findAction('demo.nope'))).toEqual({
      code: 'ACTION_NOT_FOUND',
      message: expect.stringMatching(/^plugin demo has no action "nope" \(it has: echo, open/),
    });
    expect(errorOf(() => catalog.findAction('rv.open_sources'))).toEqual({
      code: 'PLUGIN_NOT_FOUND',
      message: 'this node has no plugin named "rv" (it has: demo)',
    });
    expect(errorOf(() => catalog.findAction('winonly.ping'))).toEqual({
      code: 'PLATFORM_UNSUPPORTED',
      message: 'plugin winonly supports windows only; this node runs linux',
    });
    expect(errorOf(() => catalog.findAction('demo')).code).toBe('INVALID_ACTION_ID');
  });
});
