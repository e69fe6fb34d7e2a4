import { describe, expect, it } from 'vitest';
import {
  compileLinearPattern,
  createSchemaCompiler,
  isOpenClawError,
  SCHEMA_LIMITS,
  validateManifest,
  type PluginManifest,
} from '../src/index.js';

const manifestWith = (params: Record<string, unknown>): PluginManifest => ({
  name: 'hostile',
  version: '1.0.0',
  description: 'A plugin whose schema is the attack',
  platforms: ['linux'],
  sdk: '1.0.0',
  actions: { go: { description: 'Go', params: { type: 'object', ...params } } },
});

function refusal(manifest: unknown) {
  try {
    validateManifest(manifest);
  } catch (error) {
    if (isOpenClawError(error)) return error;
    throw error;
  }
  throw new Error('expected the manifest to be refused');
}

describe('the linear-time regex engine behind every schema pattern', () => {
  it('answers a catastrophic pattern at once instead of backtracking', () => {
    const validate = createSchemaCompiler().compile({
      type: 'object',
      properties: { name: { type: 'string', pattern: '^(a+)+$' } },
    });
    // 64 a's and a '!' would take the native engine longer than the age of the universe.
    expect(validate({ name: `${'a'.repeat(64)}!` })).toMatchObject([
      { field: 'params.name', keyword: 'pattern' },
    ]);
    expect(validate({ name: 'a'.repeat(64) })).toBeNull();
  });

  it('answers the same on every call (a compiled pattern keeps no state between inputs)', () => {
    const validate = createSchemaCompiler().compile({
      type: 'object',
      properties: {
        a: { type: 'string', pattern: '^[a-z]+$' },
        v: { type: 'string', pattern: '\\.[nN][kK]$' },
      },
    });
    for (let i = 0; i < 50; i += 1) {
      expect(validate({ a: 'abc', v: '/x/a.nk' })).toBeNull();
      expect(validate({ a: 'ab1' })).toMatchObject([{ field: 'params.a' }]);
      expect(validate({ v: '/x/a.nkx' })).toMatchObject([{ field: 'params.v' }]);
    }
  });

  it('keeps JavaScript meaning where RE2 differs: `.` and `\\s`, astral characters, \\u escapes', () => {
    const cases: [string, string, boolean][] = [
      ['^.$', '\r', false],
      ['^.$', '\u2028', false],
      ['^.$', '😀', true],
      ['^\\s$', '\u00a0', true],
      ['^\\s$', '\u3000', true],
      ['^\\S$', '\u00a0', false],
      ['^[\\s_]+$', '\u00a0_', true],
      ['^[^\\u0000-\\u001f]*$', 'ok\u0001', false],
      ['^\\u{1F600}$', '😀', true],
      ['\\.[nN][kK]$', '/show/a.NK', true],
      ['^\\d+(-\\d+)?$', '1001-1100', true],
      ['^[^]$', '\n', true],
    ];
    for (const [pattern, input, expected] of cases) {
      expect([pattern, input, compileLinearPattern(pattern).test(input)]).toEqual([
        pattern,
        input,
        new RegExp(pattern, 'u').test(input),
      ]);
      expect(compileLinearPattern(pattern).test(input)).toBe(expected);
    }
  });
});

describe('validateManifest: what an advertised schema may cost (issue 11)', () => {
  it('accepts the catastrophic pattern itself: on this engine it is harmless', () => {
    expect(() =>
      validateManifest(manifestWith({ properties: { name: { type: 'string', pattern: '^(a+)+$' } } })),
    ).not.toThrow();
  });

  it('refuses backreferences and lookaround with MANIFEST_INVALID naming the pattern', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ properties: { a: { type: 'string', pattern: '^(a)\\1$' } } }, 'properties.a.pattern'],
      [{ properties: { a: { type: 'string', pattern: '^(?<x>a)\\k<x>$' } } }, 'properties.a.pattern'],
      [{ properties: { a: { type: 'string', pattern: '^(?=a)' } } }, 'properties.a.pattern'],
      [{ properties: { a: { type: 'string', pattern: '(?<!a)b' } } }, 'properties.a.pattern'],
      [{ patternProperties: { '^(?!x)': {} } }, 'patternProperties["^(?!x)"]'],
      [{ properties: { a: { type: 'string', pattern: '[\\S]' } } }, 'properties.a.pattern'],
      [{ properties: { a: { type: 'string', pattern: '(' } } }, 'properties.a.pattern'],
    ];
    for (const [params, field] of cases) {
      const error = refusal(manifestWith(params));
      expect(error.code).toBe('MANIFEST_INVALID');
      expect(error.details).toEqual({ plugin: 'hostile', field: `manifest.actions.go.params.${field}` });
      expect(error.message).toMatch(/backreference|lookahead|\\S inside|not a valid regular expression/);
    }
  });

  it('refuses each limit with SCHEMA_LIMIT_EXCEEDED naming the field and the limit', () => {
    const many = Object.fromEntries(
      Array.from({ length: SCHEMA_LIMITS.maxPatterns + 1 }, (_, i) => [`p${i}`, { pattern: `^x${i}$` }]),
    );
    const wide = Object.fromEntries(
      Array.from({ length: SCHEMA_LIMITS.maxSchemaNodes }, (_, i) => [`p${i}`, { type: 'string' }]),
    );
    const cases: [Record<string, unknown>, keyof typeof SCHEMA_LIMITS, string][] = [
      [{ properties: many }, 'maxPatterns', `properties.p${SCHEMA_LIMITS.maxPatterns}.pattern`],
      [
        { properties: { a: { pattern: 'a'.repeat(SCHEMA_LIMITS.maxPatternLength + 1) } } },
        'maxPatternLength',
        'properties.a.pattern',
      ],
      [
        { properties: { a: { pattern: '[a-z]{1000}'.repeat(6) } } },
        'maxPatternProgram',
        'properties.a.pattern',
      ],
      [
        { properties: { a: { type: 'array', uniqueItems: true } } },
        'maxUniqueItems',
        'properties.a.uniqueItems',
      ],
      [{ properties: wide }, 'maxSchemaNodes', 'properties.p2498.type'],
    ];
    for (const [params, limit, field] of cases) {
      const error = refusal(manifestWith(params));
      expect([limit, error.code]).toEqual([limit, 'SCHEMA_LIMIT_EXCEEDED']);
      expect(error.details).toEqual({
        plugin: 'hostile',
        field: `manifest.actions.go.params.${field}`,
        limit,
        max: SCHEMA_LIMITS[limit],
      });
    }
  });

  it('checks patterns under a property named like a data keyword, and skips patterns inside data', () => {
    const error = refusal(manifestWith({ properties: { enum: { type: 'string', pattern: '(a)\\1' } } }));
    expect(error.details?.field).toBe('manifest.actions.go.params.properties.enum.pattern');
    expect(() =>
      validateManifest(manifestWith({ properties: { a: { const: { pattern: '(a)\\1' } } } })),
    ).not.toThrow();
  });

  it('lets a property named toString or constructor validate (issue 11: it never could)', () => {
    const validate = createSchemaCompiler().compile({
      type: 'object',
      additionalProperties: false,
      properties: { toString: { type: 'string' }, constructor: { type: 'string' } },
    });
    expect(validate({})).toBeNull();
    expect(validate({ toString: 'x', constructor: 'y' })).toBeNull();
    expect(validate({ toString: 1 })).toMatchObject([{ field: 'params.toString', keyword: 'type' }]);
  });
});
