import { describe, expect, it } from 'vitest';
import { formatParamSpec, looksLikePath, parseParamSpec, parseParamSpecs } from '../src/index.js';

describe('param specs', () => {
  it.each([
    ['scene:path', { name: 'scene', type: 'path', array: false, required: true }],
    ['sources:path[]', { name: 'sources', type: 'path', array: true, required: true }],
    ['threads?:integer', { name: 'threads', type: 'integer', array: false, required: false }],
    ['layers:string[]?', { name: 'layers', type: 'string', array: true, required: false }],
    [' gui:boolean ', { name: 'gui', type: 'boolean', array: false, required: true }],
  ])('parses %j', (text, spec) => {
    expect(parseParamSpec(text)).toEqual(spec);
    expect(parseParamSpec(formatParamSpec(spec as never))).toEqual(spec);
  });

  it('splits lists on commas and spaces and refuses duplicates', () => {
    expect(parseParamSpecs(['a:string, b:number', 'c:path']).map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(() => parseParamSpecs(['a:string', 'a:path'])).toThrow('param a is given twice');
  });

  it.each([
    ['Frames:string', 'must be snake_case'],
    ['frame-range:string', 'must be snake_case'],
    ['frames:text', 'unknown type "text"'],
    ['frames', 'is not a param spec'],
  ])('rejects %j', (text, why) => {
    expect(() => parseParamSpec(text)).toThrow(why);
  });

  it('knows which names usually hold paths', () => {
    expect(
      ['path', 'script', 'session_file', 'output_dir', 'sources', 'path_to_movie'].every(looksLikePath),
    ).toBe(true);
    expect(['frames', 'profile', 'write_node', 'filename_pattern'].some(looksLikePath)).toBe(false);
  });
});
