import { describe, expect, it } from 'vitest';
import { validateManifest } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '../../src/index.js';
import { resolvePlugin } from '../../src/resolve/index.js';

describe.each([resolvePlugin])('$name manifest', (plugin) => {
  it('is registered, advertises a valid manifest and keeps the original action names', () => {
    expect(builtinPlugins[plugin.name]).toBe(plugin);
    expect(() => validateManifest(toManifest(plugin))).not.toThrow();
    expect(plugin.platforms).toEqual(['windows', 'darwin', 'linux']);
    expect(Object.keys(plugin.actions)).toContain('ping');
  });

  it('describes every param, closes every params object and declares every result', () => {
    for (const [name, action] of Object.entries(plugin.actions)) {
      const params = action.params as {
        additionalProperties?: boolean;
        properties?: Record<string, { description?: string }>;
      };
      expect(params.additionalProperties, name).toBe(false);
      for (const [key, property] of Object.entries(params.properties ?? {}))
        expect(property.description, `${name}.${key}`).toBeTruthy();
      expect(action.result, name).toBeDefined();
    }
  });
});
