import { describe, expect, it } from 'vitest';
import { createSchemaCompiler, isOpenClawError, type JsonSchema } from '@openclaw-node/core';
import { compilePathPlan } from '../../src/index.js';

const compiler = createSchemaCompiler({ allErrors: false, useDefaults: true });
const plan = (schema: JsonSchema) => compilePathPlan(schema, (s) => compiler.compile(s));
const path = { type: 'string', format: 'path' };

describe('compilePathPlan', () => {
  it('finds paths in properties, nested objects and array items', () => {
    const found = plan({
      type: 'object',
      properties: {
        script: path,
        label: { type: 'string' },
        output: { type: 'object', properties: { folder: path } },
        files: { type: 'array', items: path },
      },
    }).collect({ script: '/a.nk', label: '/not/a/path', output: { folder: '/out' }, files: ['/f1', '/f2'] });
    expect(found).toEqual([
      { field: 'params.script', value: '/a.nk', location: ['script'] },
      { field: 'params.output.folder', value: '/out', location: ['output', 'folder'] },
      { field: 'params.files[0]', value: '/f1', location: ['files', 0] },
      { field: 'params.files[1]', value: '/f2', location: ['files', 1] },
    ]);
  });

  it('walks only the anyOf/oneOf branch a value matches', () => {
    const sources = plan({
      type: 'object',
      properties: {
        sources: {
          type: 'array',
          items: {
            anyOf: [path, { type: 'object', properties: { path, audio: path, label: { type: 'string' } } }],
          },
        },
        target: { oneOf: [path, { type: 'string', pattern: '^shot:' }] },
      },
    });
    expect(
      sources.collect({
        sources: ['/a.exr', { path: '/b.exr', audio: '/b.wav', label: 'b' }],
        target: 'shot:sh010',
      }),
    ).toEqual([
      { field: 'params.sources[0]', value: '/a.exr', location: ['sources', 0] },
      { field: 'params.sources[1].path', value: '/b.exr', location: ['sources', 1, 'path'] },
      { field: 'params.sources[1].audio', value: '/b.wav', location: ['sources', 1, 'audio'] },
    ]);
    expect(sources.collect({ sources: [], target: '/c.exr' })).toEqual([
      { field: 'params.target', value: '/c.exr', location: ['target'] },
    ]);
  });

  it('follows additionalProperties, patternProperties, tuples, allOf and local $ref', () => {
    const found = plan({
      type: 'object',
      definitions: { file: path },
      properties: { pair: { type: 'array', items: [{ $ref: '#/definitions/file' }, { type: 'string' }] } },
      patternProperties: { '^in_': path },
      additionalProperties: { allOf: [{ $ref: '#/definitions/file' }] },
    }).collect({ pair: ['/p', 'not a path'], in_plate: '/plate', 'odd key': '/odd' });
    expect(found).toEqual([
      { field: 'params.pair[0]', value: '/p', location: ['pair', 0] },
      { field: 'params.in_plate', value: '/plate', location: ['in_plate'] },
      { field: 'params["odd key"]', value: '/odd', location: ['odd key'] },
    ]);
  });

  it('refuses a schema that hides a path where the guard cannot look', () => {
    for (const schema of [
      { type: 'object', properties: { p: { not: path } } },
      { type: 'object', if: { properties: { a: { const: 1 } } }, then: { properties: { p: path } } },
      {
        type: 'object',
        $defs: { f: path },
        properties: { list: { type: 'array', contains: { $ref: '#/$defs/f' } } },
      },
    ]) {
      let error: unknown;
      try {
        plan(schema);
      } catch (e) {
        error = e;
      }
      expect(isOpenClawError(error) && error.code).toBe('PLUGIN_LOAD_FAILED');
      expect((error as Error).message).toMatch(/sits where the path guard cannot check it/);
    }
  });

  it('ignores "format: path" inside data keywords and unused definitions', () => {
    const p = plan({
      type: 'object',
      definitions: { unused: path },
      properties: {
        mode: { const: { format: 'path' } },
        p: { type: 'string', default: '/x', examples: [{ format: 'path' }] },
      },
    });
    expect(p.collect({ mode: { format: 'path' }, p: '/x' })).toEqual([]);
  });
});
