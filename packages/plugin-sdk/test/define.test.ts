import { describe, expect, it } from 'vitest';
import { defineAction, definePlugin, isPluginDefinition, SDK_VERSION, toManifest } from '../src/index.js';

const open = defineAction({
  description: 'Open a folder',
  params: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: { path: { type: 'string', format: 'path' }, count: { type: 'integer' } },
  },
  timeout: 5,
  run(params) {
    const path: string = params.path;
    const count: number | undefined = params.count;
    return { path, count };
  },
});

describe('definePlugin', () => {
  it('brands the plugin and records the SDK version', () => {
    const plugin = definePlugin({
      name: 'demo',
      version: '1.2.3',
      description: 'Demo',
      platforms: ['linux'],
      actions: { open },
    });
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(isPluginDefinition({ ...{ name: 'x' } })).toBe(false);
    expect(plugin.sdk).toBe(SDK_VERSION);
  });

  it('turns a definition into a JSON-only manifest', () => {
    const plugin = definePlugin({
      name: 'demo',
      version: '1.2.3',
      description: 'Demo',
      platforms: ['linux'],
      actions: { open },
    });
    const manifest = toManifest(plugin);
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest.actions.open).toEqual({ description: 'Open a folder', params: open.params, timeout: 5 });
  });
});
