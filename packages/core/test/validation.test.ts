import { describe, expect, it } from 'vitest';
import {
  MANIFEST_LIMITS,
  createSchemaCompiler,
  isAbsolutePathValue,
  parseActionId,
  stableStringify,
  validateManifest,
  type PluginManifest,
} from '../src/index.js';

const manifest = (): PluginManifest => ({
  name: 'rv',
  version: '1.0.0',
  description: 'RV',
  platforms: ['linux'],
  sdk: '1.0.0',
  actions: {
    open_sources: {
      description: 'Open media',
      params: {
        type: 'object',
        properties: { sources: { type: 'array', items: { type: 'string', format: 'path' } } },
      },
    },
  },
});

describe('validateManifest', () => {
  it('accepts a well-formed manifest', () => {
    expect(validateManifest(manifest()).name).toBe('rv');
  });

  it.each([
    ['a bad plugin name', (m: PluginManifest) => Object.assign(m, { name: 'RV!' }), 'manifest.name'],
    [
      'an unknown platform',
      (m: PluginManifest) => Object.assign(m, { platforms: ['amiga'] }),
      'manifest.platforms[0]',
    ],
    [
      'a bad action name',
      (m: PluginManifest) => Object.assign(m, { actions: { 'Open-It': m.actions.open_sources } }),
      'manifest.actions',
    ],
    [
      'params that are not an object schema',
      (m: PluginManifest) => Object.assign(m.actions.open_sources!, { params: { type: 'string' } }),
      'manifest.actions.open_sources.params.type',
    ],
    [
      'a missing version',
      (m: PluginManifest) => Object.assign(m, { version: undefined }),
      'manifest.version',
    ],
  ])('rejects %s naming the field', (_label, mutate, field) => {
    const m = manifest();
    mutate(m);
    expect(() => validateManifest(JSON.parse(JSON.stringify(m)))).toThrowError(
      expect.objectContaining({ code: 'MANIFEST_INVALID', details: expect.objectContaining({ field }) }),
    );
  });

  it('rejects a params schema that is not a JSON Schema', () => {
    const m = manifest();
    m.actions.open_sources!.params = { type: 'object', properties: { a: { type: 'nonsense' } } };
    expect(() => validateManifest(m)).toThrowError(expect.objectContaining({ code: 'MANIFEST_INVALID' }));
  });

  it('rejects oversized and too-deep manifests', () => {
    const big = manifest();
    big.description = 'x'.repeat(MANIFEST_LIMITS.maxManifestBytes);
    expect(() => validateManifest(big)).toThrowError(/limit/);
    const deep = manifest();
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20; i++) schema = { type: 'object', properties: { a: schema } };
    deep.actions.open_sources!.params = schema;
    expect(() => validateManifest(deep)).toThrowError(/deeper/);
  });
});

describe('createSchemaCompiler', () => {
  const validate = createSchemaCompiler().compile({
    type: 'object',
    required: ['sources'],
    additionalProperties: false,
    properties: {
      sources: { type: 'array', items: { type: 'string', format: 'path' } },
      gui: { type: 'boolean', default: true },
    },
  });

  it('points at the field at fault', () => {
    expect(validate({})).toEqual([{ field: 'params.sources', message: 'is required', keyword: 'required' }]);
    expect(validate({ sources: ['/a', '-rf'] })![0]).toMatchObject({
      field: 'params.sources[1]',
      keyword: 'format',
    });
    expect(validate({ sources: [], extra: 1 })![0]).toMatchObject({ field: 'params.extra' });
  });

  it('fills in defaults', () => {
    const params: Record<string, unknown> = { sources: ['/a'] };
    expect(validate(params)).toBeNull();
    expect(params.gui).toBe(true);
  });

  it("runs patterns on the linear-time engine, or on JavaScript's RegExp for this code's own schemas", () => {
    // A lookahead: JavaScript runs it, the linear-time engine cannot (as for a plugin's schema).
    const schema = { type: 'string', pattern: '^(?=a)ab$' };
    expect(() => createSchemaCompiler().compile(schema)).toThrow();
    const own = createSchemaCompiler({ ownPatterns: true }).compile(schema);
    expect(own('ab')).toBeNull();
    expect(own('b')![0]).toMatchObject({ keyword: 'pattern' });
  });
});

describe('isAbsolutePathValue', () => {
  it.each(['/show/a.exr', 'C:\\show\\a.exr', 'D:/show/a.exr', '\\\\server\\share\\a.exr'])(
    'accepts %s',
    (p) => {
      expect(isAbsolutePathValue(p)).toBe(true);
    },
  );
  it.each([
    '',
    'relative/a',
    '-rf',
    '--help',
    '~/a',
    '//double',
    'C:relative',
    '/a\nb',
    '/a\u0000b',
    `/${'a'.repeat(5000)}`,
  ])('rejects %j', (p) => {
    expect(isAbsolutePathValue(p)).toBe(false);
  });
});

describe('parseActionId', () => {
  it('splits plugin and action', () => {
    expect(parseActionId('rv.open_sources')).toEqual({ plugin: 'rv', action: 'open_sources' });
  });
  it.each(['rv', '.open', 'rv.', 'RV.open', 'rv.open-sources', 42, null])('rejects %j', (id) => {
    expect(() => parseActionId(id)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ACTION_ID', details: { field: 'action' } }),
    );
  });
});

describe('stableStringify', () => {
  it('sorts keys so equal values give equal strings', () => {
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(
      stableStringify({ a: [{ c: 2, d: 1 }], b: 1 }),
    );
  });
});
