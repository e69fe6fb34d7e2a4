import type { PluginHealth, PluginManifest } from '@openclaw-node/core';

/** A player plugin like the built-in rv: its ping finds (or not) an application. */
export function playerManifest(overrides: Partial<PluginManifest> = {}): PluginManifest {
  return {
    name: 'rv',
    version: '1.0.0',
    description: 'Review player',
    platforms: ['windows', 'darwin', 'linux'],
    sdk: '1.0.0',
    actions: {
      ping: {
        description: 'Find rv',
        params: { type: 'object', properties: {}, additionalProperties: false },
      },
      open_sources: {
        description: 'Open media',
        params: {
          type: 'object',
          required: ['sources'],
          additionalProperties: false,
          properties: { sources: { type: 'array', items: { type: 'string', format: 'path' } } },
        },
      },
      push_sources: {
        description: 'Push media into a running RV',
        params: { type: 'object', properties: {}, additionalProperties: false },
      },
    },
    ...overrides,
  };
}

export const CHECKED_AT = '2025-03-01T10:00:00.000Z';

/** rv not installed: what the agent reports from rv.ping. */
export function rvMissing(overrides: Partial<PluginHealth> = {}): PluginHealth {
  return {
    plugin: 'rv',
    available: false,
    reason: 'rv was not found (looked in /opt/rv/bin/rv, PATH)',
    checkedAt: CHECKED_AT,
    ...overrides,
  };
}

/** rv installed. */
export function rvInstalled(overrides: Partial<PluginHealth> = {}): PluginHealth {
  return {
    plugin: 'rv',
    available: true,
    app: { path: '/opt/rv-2024.1/bin/rv', version: '2024.1.0' },
    checkedAt: CHECKED_AT,
    ...overrides,
  };
}

/** The tools plugin, checked and fine. */
export function toolsOk(): PluginHealth {
  return { plugin: 'tools', available: true, checkedAt: CHECKED_AT };
}
