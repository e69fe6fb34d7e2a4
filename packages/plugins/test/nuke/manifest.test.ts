import { describe, expect, it } from 'vitest';
import { isPluginDefinition, toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins, nukePlugin } from '../../src/index.js';

describe('the nuke plugin manifest', () => {
  const manifest = toManifest(nukePlugin);

  it('is registered as a built-in and branded', () => {
    expect(builtinPlugins.nuke).toBe(nukePlugin);
    expect(isPluginDefinition(nukePlugin)).toBe(true);
  });

  it('is plain JSON with the original action names on every platform', () => {
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(Object.keys(manifest.actions).sort()).toEqual(['get_info', 'open_script', 'ping', 'render_write']);
    expect(manifest.platforms).toEqual(['windows', 'darwin', 'linux']);
  });

  it('runs one render at a time per machine, with a timeout, and declares results everywhere', () => {
    expect(manifest.actions.render_write).toMatchObject({ exclusive: true, timeout: 43_200 });
    for (const action of Object.values(manifest.actions)) {
      expect(action.result).toBeDefined();
      expect(action.params).toMatchObject({ type: 'object', additionalProperties: false });
      for (const property of Object.values(
        (action.params as { properties: Record<string, { description?: string }> }).properties,
      )) {
        expect(property.description).toBeTruthy();
      }
    }
  });

  it('keeps the original render_write params and marks paths with format: path', () => {
    const params = manifest.actions.render_write!.params as {
      required: string[];
      properties: Record<string, { format?: string }>;
    };
    expect(params.required).toEqual(['script']);
    expect(Object.keys(params.properties)).toEqual(
      expect.arrayContaining(['script', 'write_node', 'frame_range', 'threads']),
    );
    expect(params.properties.script!.format).toBe('path');
    const open = manifest.actions.open_script!.params as {
      properties: Record<string, { default?: unknown }>;
    };
    expect(open.properties.gui!.default).toBe(true);
  });
});
