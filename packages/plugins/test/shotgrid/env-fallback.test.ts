import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { loadShotgridConfig } from '../../src/shotgrid/config.js';
import { shotgridPlugin } from '../../src/shotgrid/index.js';
import { useFakeShotgrid } from './setup.js';

const world = useFakeShotgrid();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("shotgrid: the Python original's SHOTGRID_URL, SHOTGRID_SCRIPT_NAME and SHOTGRID_API_KEY", () => {
  const env = {
    SHOTGRID_URL: 'https://env.shotgrid.autodesk.com',
    SHOTGRID_SCRIPT_NAME: 'env-script',
    SHOTGRID_API_KEY: 'env-key-1234',
  };

  it('fill every value plugin_config.shotgrid leaves unset', () => {
    const config = loadShotgridConfig({}, env);
    expect(config.site).toBe('https://env.shotgrid.autodesk.com');
    expect(config.scriptName).toBe('env-script');
    expect(config.scriptKey.reveal()).toBe('env-key-1234');
  });

  it('lose to plugin_config, key by key', () => {
    const config = loadShotgridConfig(
      { site: 'https://config.shotgrid.autodesk.com', script_name: 'config-script' },
      env,
    );
    expect(config.site).toBe('https://config.shotgrid.autodesk.com');
    expect(config.scriptName).toBe('config-script');
    expect(config.scriptKey.reveal()).toBe('env-key-1234');
    const keyed = loadShotgridConfig({ script_key: 'config-key' }, env);
    expect(keyed.scriptKey.reveal()).toBe('config-key');
    const fromVar = loadShotgridConfig({ script_key_env: 'OTHER_KEY' }, { ...env, OTHER_KEY: 'other' });
    expect(fromVar.scriptKey.reveal()).toBe('other');
  });

  it('name the variable when its value is bad, and both ways to set a missing value', () => {
    expect(() => loadShotgridConfig({}, { ...env, SHOTGRID_URL: 'http://sg.example.com' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('$SHOTGRID_URL (used as plugin_config.shotgrid.site)'),
        details: { field: 'plugin_config.shotgrid.site', env: 'SHOTGRID_URL' },
      }),
    );
    expect(() => loadShotgridConfig({ site: 'https://a.shotgrid.autodesk.com' }, {})).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('or set $SHOTGRID_SCRIPT_NAME'),
        details: { field: 'plugin_config.shotgrid.script_name' },
      }),
    );
  });

  it('run an action against the site when the config has none of the three (the agent environment holds them)', async () => {
    const seeded = world.seed();
    vi.stubEnv('SHOTGRID_URL', world.site.url);
    vi.stubEnv('SHOTGRID_SCRIPT_NAME', world.site.options.scriptName);
    vi.stubEnv('SHOTGRID_API_KEY', world.site.options.scriptKey);
    const rec = await runAction(shotgridPlugin, 'update_task_status', {
      params: { task_id: seeded.task, status: 'ip' },
      platform: 'linux',
      config: { retry_base_delay_ms: 1 },
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ task_id: seeded.task });
  });
});
