import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createSchemaCompiler, isAbsolutePathValue } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';
import { ratio, type Row } from '../report.js';

// ajv 8 as core has it (the repository root holds another major for tooling).
const requireFromCore = createRequire(fileURLToPath(import.meta.resolve('@openclaw-node/core')));
type AjvInstance = {
  compile(schema: object): (value: unknown) => boolean;
  addFormat(name: string, format: object): unknown;
};
const { Ajv } = requireFromCore('ajv') as { Ajv: new (options: object) => AjvInstance };
const addFormats = requireFromCore('ajv-formats') as { default: (ajv: AjvInstance) => void };

/** Typical params with patterns: the built-in render action, four Write nodes and a frame range. */
const PARAMS = {
  script: '/mnt/projects/show/sh010/comp/sh010_comp_v012.nk',
  write_node: 'Group1.Write_EXR',
  write_nodes: ['Write1', 'Write_DPX', 'Group2.Write_proxy', 'WriteMain'],
  frame_range: '1001-1100,1150-1200x2',
  threads: 8,
};

/** ns per validation, best of `rounds` rounds of `count` (alternating the engines to share noise). */
function measure(validators: ((value: unknown) => unknown)[], count: number, rounds: number): number[] {
  const best = validators.map(() => Infinity);
  for (let round = 0; round < rounds; round += 1) {
    validators.forEach((validate, i) => {
      const started = process.hrtime.bigint();
      for (let n = 0; n < count; n += 1) validate(structuredClone(PARAMS));
      const ns = Number(process.hrtime.bigint() - started) / count;
      best[i] = Math.min(best[i]!, ns);
    });
  }
  return best;
}

/**
 * What the linear-time regex engine (re2js, issue 11) costs on the exec path: validating a typical
 * params object with four patterns, core's compiler against the same ajv with the native engine.
 */
export function schemaSection(quick: boolean): Row[] {
  const schema = toManifest(builtinPlugins.nuke!).actions.render_write!.params;
  const linear = createSchemaCompiler({ allErrors: false }).compile(schema);
  const nativeAjv = new Ajv({
    allErrors: false,
    useDefaults: true,
    strict: false,
    logger: false,
    allowUnionTypes: true,
    ownProperties: true,
  });
  addFormats.default(nativeAjv);
  nativeAjv.addFormat('path', { type: 'string', validate: isAbsolutePathValue });
  const native = nativeAjv.compile(schema);
  if (linear(structuredClone(PARAMS)) !== null || !native(structuredClone(PARAMS))) {
    throw new Error('bench/sections/schema.ts: the params no longer match nuke.render_write');
  }
  const [linearNs, nativeNs] = measure([linear, native], quick ? 20_000 : 100_000, quick ? 3 : 7);
  const section = 'params validation (nuke.render_write, 4 patterns, best round)';
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
  return [
    {
      section,
      measure: 'linear-time engine (re2js), per exec',
      value: us(linearNs!),
      reference: `native RegExp: ${us(nativeNs!)} (${ratio(linearNs!, nativeNs!)})`,
      target: 'report',
      result: '',
    },
  ];
}
