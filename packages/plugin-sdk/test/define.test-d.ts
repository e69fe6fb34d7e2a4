// Type tests: checked by `npm run typecheck` (tsc over packages/*/test, part of `npm test`).
// A wrong inference here is a compile error, so these fail the build rather than a run.
import { expectTypeOf } from 'vitest';
import { defineAction, defineConfig, definePlugin, type ActionContext, type ConfigOf } from '../src/index.js';

// defineAction: params typed from the schema, result from the handler, no `as const` needed.
const render = defineAction({
  description: 'Render',
  params: {
    type: 'object',
    required: ['script', 'frames'],
    additionalProperties: false,
    properties: {
      script: { type: 'string' },
      frames: { type: 'array', items: { type: 'integer' } },
      proxy: { type: 'boolean' },
      quality: { enum: ['draft', 'final'] },
    },
  },
  run(params, ctx) {
    expectTypeOf(params).toEqualTypeOf<{
      script: string;
      frames: number[];
      proxy?: boolean;
      quality?: 'draft' | 'final';
    }>();
    // No config spec named: the section is untyped.
    expectTypeOf(ctx.config).toEqualTypeOf<Record<string, unknown>>();
    return { written: params.frames.length, script: params.script };
  },
});
type RenderRun = ReturnType<(typeof render)['run']>;
expectTypeOf<RenderRun>().toEqualTypeOf<
  Promise<{ written: number; script: string }> | { written: number; script: string }
>();

defineAction({
  description: 'x',
  params: { type: 'object', properties: { n: { type: 'integer' } } },
  run: (p) => {
    // @ts-expect-error n is an optional number, not a string
    const text: string = p.n;
    return text;
  },
});

// defineConfig: `ctx.config` typed from the schema; keys with a default are present.
const config = defineConfig(
  {
    type: 'object',
    additionalProperties: false,
    required: ['site'],
    properties: {
      site: { type: 'string' },
      retries: { type: 'integer', default: 3 },
      roots: { type: 'array', items: { type: 'string' } },
    },
  },
  {
    defaults: (env) => ({ site: env.STUDIO_SITE }),
    check(cfg) {
      expectTypeOf(cfg.site).toEqualTypeOf<string>();
    },
  },
);
type StudioConfig = ConfigOf<typeof config>;
expectTypeOf<StudioConfig['site']>().toEqualTypeOf<string>();
expectTypeOf<StudioConfig['retries']>().toEqualTypeOf<number>();
expectTypeOf<StudioConfig['roots']>().toEqualTypeOf<string[] | undefined>();

const fetchShot = defineAction({
  description: 'Fetch',
  params: { type: 'object', properties: {} },
  config,
  run(_params, ctx) {
    expectTypeOf(ctx).toEqualTypeOf<ActionContext<StudioConfig>>();
    expectTypeOf(ctx.config.retries).toEqualTypeOf<number>();
    // @ts-expect-error not a key of the schema
    void ctx.config.sight;
    return ctx.config.site;
  },
  onConfigInvalid: (error) => error.code,
});

const plugin = definePlugin({
  name: 'studio',
  version: '1.0.0',
  description: 'Studio',
  platforms: ['linux'],
  config,
  errors: { STUDIO_DOWN: 'the studio site did not answer' },
  actions: { render, fetch_shot: fetchShot },
});
type FetchShotContext = Parameters<(typeof plugin.actions.fetch_shot)['run']>[1];
expectTypeOf<FetchShotContext>().toEqualTypeOf<ActionContext<StudioConfig>>();
expectTypeOf(plugin.errors.STUDIO_DOWN).toEqualTypeOf<string>();
