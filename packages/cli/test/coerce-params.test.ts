import { describe, expect, it } from 'vitest';
import { coerceParams, coerceValue, parseAssignments } from '../src/index.js';

describe('coerceValue', () => {
  it('keeps strings when the schema has no type', () => {
    expect(coerceValue('8', undefined, 'x')).toBe('8');
    expect(coerceValue('8', { description: 'anything' }, 'x')).toBe('8');
  });

  it.each([
    [{ type: 'integer' }, '-12', -12],
    [{ type: 'number' }, '2.5e3', 2500],
    [{ type: ['integer', 'null'] }, 'null', null],
    [{ type: ['integer', 'null'] }, '1001', 1001],
    [{ enum: [1, 2, 3] }, '2', 2],
    [{ const: true }, 'yes', true],
    [{ anyOf: [{ type: 'integer' }, { type: 'boolean' }] }, 'no', false],
  ])('coerces by %j: %s', (schema, raw, expected) => {
    expect(coerceValue(raw, schema, 'x')).toEqual(expected);
  });

  it('converts only unambiguous spellings when a string is allowed too', () => {
    const schema = { type: ['string', 'integer', 'boolean'] };
    expect(coerceValue('1001', schema, 'x')).toBe(1001);
    expect(coerceValue('010', schema, 'x')).toBe('010');
    expect(coerceValue('1e3', schema, 'x')).toBe('1e3');
    expect(coerceValue('true', schema, 'x')).toBe(true);
    expect(coerceValue('yes', schema, 'x')).toBe('yes');
  });

  it('reads an item that is a string or an object as a path unless it is JSON', () => {
    const sources = { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object' }] } };
    expect(coerceValue('/show/a.exr', sources, 'sources')).toEqual(['/show/a.exr']);
    expect(coerceValue('[{"path": "/a.exr", "in": 1}]', sources, 'sources')).toEqual([
      { path: '/a.exr', in: 1 },
    ]);
  });

  it('names the key and the expected type in a usage error', () => {
    expect(() => coerceValue('x', { type: ['integer', 'null'] }, 'start_frame')).toThrow(
      'start_frame must be an integer or null, got "x"',
    );
  });
});

describe('coerceParams', () => {
  const schema = {
    type: 'object',
    properties: { frames: { type: 'array', items: { type: 'integer' } }, path: { type: 'string' } },
  };

  it('appends a repeated array key and refuses a repeated scalar key', () => {
    expect(coerceParams(parseAssignments(['frames=1,2', 'frames=3']), schema)).toEqual({ frames: [1, 2, 3] });
    expect(() => coerceParams(parseAssignments(['path=/a', 'path=/b']), schema)).toThrow(
      'path is given twice',
    );
  });

  it('turns an empty array value into []', () => {
    expect(coerceParams(parseAssignments(['frames=']), schema)).toEqual({ frames: [] });
  });

  it('does not treat inherited names as schema properties', () => {
    expect(coerceParams(parseAssignments(['constructor=1', 'toString=x']), schema)).toEqual({
      constructor: '1',
      toString: 'x',
    });
  });
});
