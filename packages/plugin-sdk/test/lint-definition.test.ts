import { describe, expect, it } from 'vitest';
import { defineAction, definePlugin } from '../src/index.js';
import { lintPluginDefinition, type LintMessage } from '../src/lint/index.js';

const FILE = '/plugins/studio/src/index.ts';

const ping = defineAction({
  description: 'Check that the plugin answers',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: { type: 'object', properties: { ok: { type: 'boolean' } } },
  run: () => ({ ok: true }),
});

const good = definePlugin({
  name: 'studio',
  version: '1.2.0',
  description: 'Studio tools',
  platforms: ['linux', 'windows'],
  actions: {
    render: defineAction({
      description: 'Render a script',
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['script'],
        properties: {
          script: { type: 'string', format: 'path', description: 'The script' },
          sources: {
            type: 'array',
            description: 'Media',
            items: {
              anyOf: [
                { type: 'string', format: 'path' },
                {
                  type: 'object',
                  additionalProperties: false,
                  properties: { path: { type: 'string', format: 'path', description: 'A file' } },
                },
              ],
            },
          },
          mode: { enum: ['fast', 'best'], type: 'string', description: 'Quality' },
          frame_range: { type: 'string', pattern: '^\\d+(-\\d+)?$', description: 'Frames' },
        },
      },
      result: { type: 'object', properties: {} },
      run: () => ({}),
    }),
    ping,
  },
});

const fields = (messages: LintMessage[]) => messages.map((m) => `${m.level} ${m.rule} ${m.field}`);

describe('lintPluginDefinition', () => {
  it('finds nothing wrong with a careful plugin', () => {
    expect(lintPluginDefinition(good, { file: FILE })).toEqual([]);
  });

  it('reports params that name a path but lack format: "path", down to array items', () => {
    const plugin = definePlugin({
      ...good,
      actions: {
        ping,
        render: defineAction({
          description: 'Render',
          params: {
            type: 'object',
            additionalProperties: false,
            properties: {
              script: { type: 'string', description: 'The script' },
              output_dir: { type: 'string', pattern: '^/', description: 'Where' },
              sources: { type: 'array', description: 'Media', items: { type: 'string' } },
              session_file: { type: 'string', format: 'uri', description: 'A URL, deliberately' },
            },
          },
          result: { type: 'object' },
          run: () => ({}),
        }),
      },
    });
    const messages = lintPluginDefinition(plugin, { file: FILE });
    expect(fields(messages)).toEqual([
      'error path-format actions.render.params.properties.script',
      'warning path-format actions.render.params.properties.output_dir',
      'error path-format actions.render.params.properties.sources.items',
    ]);
    expect(messages[0]).toEqual({
      level: 'error',
      rule: 'path-format',
      file: FILE,
      field: 'actions.render.params.properties.script',
      message: expect.stringContaining('"script" looks like a file-system path but has no format: "path"'),
    });
  });

  it('reports missing descriptions, open objects, free strings, bad required and non-snake_case names', () => {
    const plugin = definePlugin({
      ...good,
      actions: {
        ping,
        submit: defineAction({
          description: ' ',
          params: {
            type: 'object',
            required: ['priority', 'pool'],
            additionalProperties: false,
            properties: {
              priority: { type: 'integer' },
              jobName: { type: 'string', description: 'Name' },
              extra: { type: 'object', description: 'More', properties: {} },
            },
          },
          run: () => undefined,
        }),
      },
    });
    expect(fields(lintPluginDefinition(plugin, { file: FILE }))).toEqual([
      'error description actions.submit.description',
      'error required actions.submit.params.required[1]',
      'error description actions.submit.params.properties.priority',
      'warning param-name actions.submit.params.properties.jobName',
      'warning free-string actions.submit.params.properties.jobName',
      'error additional-properties actions.submit.params.properties.extra',
      'warning result-schema actions.submit.result',
    ]);
  });

  it('refuses format "path" where the agent cannot guard it', () => {
    const plugin = definePlugin({
      ...good,
      actions: {
        ping,
        odd: defineAction({
          description: 'Odd',
          params: {
            type: 'object',
            additionalProperties: false,
            properties: { target: { type: 'string', description: 'T', format: 'path' } },
            if: { properties: { target: { type: 'string', format: 'path' } } },
          },
          result: { type: 'object' },
          run: () => ({}),
        }),
      },
    });
    expect(fields(lintPluginDefinition(plugin, { file: FILE }))).toEqual([
      'error path-format actions.odd.params.if.properties.target',
    ]);
  });

  it('reports bad names, platforms, a missing ping and an SDK of another major version', () => {
    const plugin = {
      ...definePlugin({
        name: 'Studio_Tools',
        version: '1.0.0',
        description: 'x',
        platforms: ['linux', 'win32', 'linux'] as never,
        actions: { 'Open-Folder': { ...ping } },
      }),
      sdk: '0.9.0',
    };
    const messages = lintPluginDefinition(plugin, { file: FILE });
    expect(fields(messages)).toEqual([
      'error name name',
      'error platforms platforms[1]',
      'warning platforms platforms[2]',
      'error sdk-version sdk',
      'error name actions["Open-Folder"]',
      'warning ping actions.ping',
    ]);
    expect(messages.find((m) => m.field === 'platforms[1]')?.message).toBe(
      '"win32" is not a supported platform: write "windows" (supported: windows, darwin, linux)',
    );
    expect(messages.find((m) => m.rule === 'sdk-version')?.message).toContain(
      'the plugin was defined with plugin SDK 0.9.0, but this SDK is 1.0.0',
    );
  });

  it('adds the core manifest validator’s finding when no other check covers it', () => {
    const plugin = definePlugin({ ...good, version: 'one' });
    expect(lintPluginDefinition(plugin, { file: FILE })).toEqual([
      {
        level: 'error',
        rule: 'manifest',
        file: FILE,
        field: 'version',
        message: expect.stringContaining('version must match pattern'),
      },
    ]);
  });

  it('says so when the value is not a plugin', () => {
    expect(fields(lintPluginDefinition({ name: 'x' }, { file: FILE }))).toEqual(['error load default']);
  });
});
