import { describe, expect, it } from 'vitest';
import { defineAction, defineConfig, definePlugin } from '@openclaw-node/plugin-sdk';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { checkPluginConfigs } from '../../src/plugins/check-plugin-config.js';
import type { LoadedPlugin } from '../../src/plugins/plugin-catalog.js';

let checks = 0;
const config = defineConfig(
  {
    type: 'object',
    additionalProperties: false,
    properties: { site: { type: 'string', minLength: 1 }, retries: { type: 'integer', default: 2 } },
  },
  {
    defaults: (env) => ({ site: env.STUDIO_SITE_FOR_TEST }),
    check() {
      checks += 1;
    },
  },
);
const studio = definePlugin({
  name: 'studio',
  version: '1.0.0',
  description: 'Studio',
  platforms: ['linux', 'darwin', 'windows'],
  config,
  actions: {
    show: defineAction({
      config,
      description: 'Show the config',
      params: { type: 'object', properties: {} },
      run: (_params, ctx) => ({ site: ctx.config.site ?? null, retries: ctx.config.retries }),
    }),
  },
});
const catalogOf = (plugin: typeof studio) => ({
  plugins: new Map([[plugin.name, { definition: plugin } as unknown as LoadedPlugin]]),
});

describe('plugin config checked at load', () => {
  it('names the field at fault once at load, and the actions answer that CONFIG_INVALID', async () => {
    const { sections, warnings } = checkPluginConfigs(catalogOf(studio), { studio: { retries: 'two' } });
    expect(warnings).toEqual([
      "plugin_config.studio.retries must be integer: the studio plugin's actions answer CONFIG_INVALID until it is fixed",
    ]);
    const rec = await runAction(studio, 'show', { config: sections.studio! });
    expect(rec.error).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'plugin_config.studio.retries' },
    });
  });

  it('validates a section once and reuses it for every run, with defaults filled in', async () => {
    checks = 0;
    const { sections, warnings } = checkPluginConfigs(catalogOf(studio), {});
    expect(warnings).toEqual([]);
    expect(sections.studio).toEqual({});
    for (let i = 0; i < 3; i++) {
      const rec = await runAction(studio, 'show', { config: sections.studio! });
      expect(rec.result).toEqual({ site: null, retries: 2 });
    }
    expect(checks).toBe(1);
  });

  it('fills a key from the environment where the file does not set it, the file winning', async () => {
    process.env.STUDIO_SITE_FOR_TEST = 'https://env.example';
    try {
      const fromEnv = await runAction(studio, 'show', { config: {} });
      expect(fromEnv.result).toEqual({ site: 'https://env.example', retries: 2 });
      const fromFile = await runAction(studio, 'show', { config: { site: 'https://file.example' } });
      expect(fromFile.result).toEqual({ site: 'https://file.example', retries: 2 });
      const empty = await runAction(studio, 'show', { config: { site: '' } });
      expect(empty.error).toMatchObject({
        code: 'CONFIG_INVALID',
        details: { field: 'plugin_config.studio.site' },
      });
    } finally {
      delete process.env.STUDIO_SITE_FOR_TEST;
    }
  });
});
