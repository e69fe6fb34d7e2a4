import { describe, expect, it } from 'vitest';
import { validateManifest } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { rvPlugin } from '../../src/rv/index.js';

/** Every property schema under params, with its dotted location. */
function properties(schema: Record<string, unknown>, at: string): [string, Record<string, unknown>][] {
  const own = Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>);
  return own.flatMap(([key, child]) => {
    const here = `${at}.${key}`;
    const items = child.items as Record<string, unknown> | undefined;
    return [
      [here, child] as [string, Record<string, unknown>],
      ...properties(child, here),
      ...(items ? properties(items, `${here}[]`) : []),
    ];
  });
}

describe('rv manifest', () => {
  it('is a valid manifest the server accepts', () => {
    expect(validateManifest(toManifest(rvPlugin))).toMatchObject({
      name: 'rv',
      platforms: ['windows', 'darwin', 'linux'],
    });
  });

  it('closes every params object, describes every property and declares a result', () => {
    for (const [actionName, action] of Object.entries(rvPlugin.actions)) {
      expect(action.params, actionName).toMatchObject({ type: 'object', additionalProperties: false });
      expect(action.result, actionName).toBeDefined();
      for (const [where, property] of properties(
        action.params as Record<string, unknown>,
        `${actionName}.params`,
      )) {
        expect(typeof property.description, where).toBe('string');
      }
    }
  });
});
