import { describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { shotgridPlugin } from '../../src/shotgrid/index.js';
import { loadShotgridConfig } from '../../src/shotgrid/config.js';
import { useFakeShotgrid } from './setup.js';

const world = useFakeShotgrid();

describe('shotgrid config', () => {
  it.each([
    [{}, 'plugin_config.shotgrid.site'],
    [
      { site: 'http://shotgrid.example.com', script_name: 's', script_key: 'k' },
      'plugin_config.shotgrid.site',
    ],
    [
      { site: 'https://user:pw@studio.shotgrid.autodesk.com', script_name: 's', script_key: 'k' },
      'plugin_config.shotgrid.site',
    ],
    [{ site: 'https://studio.shotgrid.autodesk.com', script_key: 'k' }, 'plugin_config.shotgrid.script_name'],
    [{ site: 'https://studio.shotgrid.autodesk.com', script_name: 's' }, 'plugin_config.shotgrid.script_key'],
    [
      {
        site: 'https://studio.shotgrid.autodesk.com',
        script_name: 's',
        script_key_env: 'OPENCLAW_UNSET_VAR',
      },
      'plugin_config.shotgrid.script_key_env',
    ],
    [
      { site: 'https://studio.shotgrid.autodesk.com', script_name: 's', script_key: 'k', max_retries: 99 },
      'plugin_config.shotgrid.max_retries',
    ],
    [
      { site: 'https://studio.shotgrid.autodesk.com', script_name: 's', script_key: 'k', scriptkey: 'k' },
      'plugin_config.shotgrid.scriptkey',
    ],
  ])('rejects %j naming %s', async (config, field) => {
    const rec = await runAction(shotgridPlugin, 'update_task_status', {
      params: { task_id: 1, status: 'ip' },
      config,
    });
    expect(rec.error).toMatchObject({ code: 'CONFIG_INVALID', details: { field } });
  });

  it('normalises the site and keeps the key out of any serialisation', () => {
    const config = loadShotgridConfig({
      site: 'https://studio.shotgrid.autodesk.com/api/v1/',
      script_name: 'openclaw',
      script_key: 'abcdefgh1234',
    });
    expect(config.site).toBe('https://studio.shotgrid.autodesk.com');
    expect(JSON.stringify(config)).not.toContain('abcdefgh1234');
    expect(String(config.scriptKey)).toBe('[redacted]');
    expect(config.scriptKey.reveal()).toBe('abcdefgh1234');
    expect(
      loadShotgridConfig({ site: 'http://localhost:8080', script_name: 'a', script_key: 'b' }).site,
    ).toBe('http://localhost:8080');
  });
});

describe('shotgrid.ping', () => {
  it('is available when the site answers and accepts the credentials', async () => {
    const rec = await world.run('ping');
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      ok: true,
      plugin: 'shotgrid',
      platform: 'linux',
      available: true,
      app: { path: world.site.url, version: 'v8.62.0.0-fake', source: 'config' },
      site: world.site.url,
      reachable: true,
      auth_ok: true,
    });
    expect(world.site.requestsTo('GET', '/api/v1/')[0]!.headers.authorization).toBeUndefined();
  });

  it('is unavailable, not failing, with bad credentials, no site, or no config', async () => {
    const badKey = await world.run('ping', {}, { script_key: 'not-the-key' });
    expect(badKey.result).toMatchObject({
      available: false,
      reachable: true,
      auth_ok: false,
      code: 'SG_AUTH',
    });
    const url = world.site.url;
    await world.site.stop();
    const down = await world.run('ping', {}, { site: url, max_retries: 0 });
    expect(down.result).toMatchObject({
      available: false,
      reachable: false,
      auth_ok: false,
      code: 'SG_UNAVAILABLE',
    });
    const unconfigured = await runAction(shotgridPlugin, 'ping', { config: {} });
    expect(unconfigured.result).toMatchObject({
      ok: true,
      available: false,
      app: null,
      code: 'CONFIG_INVALID',
    });
    expect((unconfigured.result as { reason: string }).reason).toContain(
      'plugin_config.shotgrid.site is required',
    );
  });
});
