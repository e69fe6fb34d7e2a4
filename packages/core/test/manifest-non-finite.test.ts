import { describe, expect, it } from 'vitest';
import { nonFinitePath, stableStringify, validateManifest } from '../src/index.js';

const manifest = (constValue: unknown): unknown => ({
  name: 'tools',
  version: '1.0.0',
  description: 'Test tools',
  platforms: ['linux'],
  sdk: '1.0.0',
  actions: {
    set: {
      description: 'Set a value that must not be null',
      params: { type: 'object', properties: { v: { not: { const: constValue } } } },
    },
  },
});

describe('manifests with numbers JSON cannot hold', () => {
  it('are refused, naming the field: 1e400 would hash as the null of another manifest', () => {
    // What the server's JSON.parse makes of `"const":1e400` in an agent's hello.
    const evil = JSON.parse(
      JSON.stringify(manifest(null)).replace('"const":null', '"const":1e400'),
    ) as unknown;
    expect(stableStringify(evil)).toBe(stableStringify(manifest(null)));
    expect(() => validateManifest(evil)).toThrow(
      expect.objectContaining({
        code: 'MANIFEST_INVALID',
        details: { plugin: 'tools', field: 'manifest.actions.set.params.properties.v.not.const' },
      }),
    );
    expect(() => validateManifest(manifest(Number.NaN))).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
    expect(validateManifest(manifest(null))).toBeTruthy();
  });

  it('name the place by index and leave out keys that are not plain', () => {
    expect(nonFinitePath({ a: [1, 2, { b: -Infinity }] })).toBe('.a[2].b');
    expect(nonFinitePath({ '\u001b[31mred': Infinity })).toBe('[?]');
    expect(nonFinitePath({ a: [0, -0, 1e308] })).toBeUndefined();
    // Iterative: a value nested 100,000 levels deep costs no stack.
    let deep: unknown = Infinity;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nonFinitePath(deep)).toBe('[0]'.repeat(100_000));
  });
});
