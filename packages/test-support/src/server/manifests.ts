import type { PluginManifest } from '@openclaw-node/core';

/** A plugin like the built-in explorer: one path action, one with typed params, a slow one, ping. */
export function toolsManifest(overrides: Partial<PluginManifest> = {}): PluginManifest {
  return {
    name: 'tools',
    version: '1.0.0',
    description: 'Test tools',
    platforms: ['windows', 'darwin', 'linux'],
    sdk: '1.0.0',
    actions: {
      ping: {
        description: 'Answer pong',
        params: { type: 'object', properties: {}, additionalProperties: false },
      },
      open_folder: {
        description: 'Open a folder',
        params: {
          type: 'object',
          required: ['path'],
          additionalProperties: false,
          properties: { path: { type: 'string', format: 'path' } },
        },
        timeout: 30,
      },
      render: {
        description: 'Render frames',
        params: {
          type: 'object',
          required: ['script'],
          additionalProperties: false,
          properties: {
            script: { type: 'string', format: 'path' },
            threads: { type: 'integer', minimum: 1, default: 4 },
            frames: { type: 'array', items: { type: 'integer' } },
            gui: { type: 'boolean' },
          },
        },
        timeout: 5,
      },
    },
    ...overrides,
  };
}

/** A windows-only plugin. */
export function windowsOnlyManifest(): PluginManifest {
  return {
    name: 'resolve',
    version: '1.0.0',
    description: 'Resolve',
    platforms: ['windows', 'darwin'],
    sdk: '1.0.0',
    actions: { ping: { description: 'Ping', params: { type: 'object' } } },
  };
}
