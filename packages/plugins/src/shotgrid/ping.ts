import { defineAction, isOpenClawError } from '@openclaw-node/plugin-sdk';
import { shotgridSettings, type ShotgridConfig, type ShotgridContext, shotgridConfig } from './config.js';
import { authorizationHeader } from './token-cache.js';
import { send } from './transport.js';

/** shotgrid.ping: is the site reachable and are the script credentials good? Never fails for a bad setup. */
export const ping = defineAction({
  config: shotgridConfig,
  description: 'Check that the ShotGrid site answers and accepts the configured script credentials',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    required: ['ok', 'plugin', 'platform', 'available', 'app', 'reachable', 'auth_ok'],
    properties: {
      ok: { const: true },
      plugin: { const: 'shotgrid' },
      platform: { type: 'string' },
      available: {
        type: 'boolean',
        description: 'True when the site answered and the credentials were accepted',
      },
      app: {
        type: ['object', 'null'],
        required: ['path', 'version', 'source'],
        properties: {
          path: { type: 'string' },
          version: { type: ['string', 'null'] },
          source: { type: 'string' },
        },
        description: 'The site URL and the version it reports',
      },
      site: { type: ['string', 'null'], description: 'The configured site' },
      reachable: { type: 'boolean', description: 'The site answered HTTP' },
      auth_ok: { type: 'boolean', description: 'A token was obtained with the script credentials' },
      code: { type: 'string', description: 'The error code that made ShotGrid unavailable' },
      reason: { type: 'string', description: 'Why ShotGrid is not available' },
    },
  },
  timeout: 60,
  // An invalid plugin_config.shotgrid makes ShotGrid unavailable here, not the ping failed.
  onConfigInvalid: (error, ctx) => ({
    ok: true as const,
    plugin: 'shotgrid' as const,
    platform: ctx.platform,
    available: false,
    app: null,
    site: null,
    reachable: false,
    auth_ok: false,
    code: error.code,
    reason: error.message,
  }),
  async run(_params, ctx) {
    const base = { ok: true as const, plugin: 'shotgrid' as const, platform: ctx.platform };
    const config = shotgridSettings(ctx.config);
    const app = { path: config.site, version: null as string | null, source: 'config' };
    try {
      app.version = await serverVersion(ctx, config);
    } catch (error) {
      if (!isOpenClawError(error) || error.code === 'CANCELLED' || error.code === 'TIMEOUT') throw error;
      return {
        ...base,
        available: false,
        app,
        site: config.site,
        reachable: false,
        auth_ok: false,
        code: error.code,
        reason: error.message,
      };
    }
    try {
      await authorizationHeader(ctx, config);
    } catch (error) {
      if (!isOpenClawError(error) || error.code === 'CANCELLED' || error.code === 'TIMEOUT') throw error;
      return {
        ...base,
        available: false,
        app,
        site: config.site,
        reachable: true,
        auth_ok: false,
        code: error.code,
        reason: error.message,
      };
    }
    return { ...base, available: true, app, site: config.site, reachable: true, auth_ok: true };
  },
});

/** GET /api/v1/ (server info); any HTTP answer means reachable. [UNCERTAIN] whether it needs auth, so none is sent. */
async function serverVersion(ctx: ShotgridContext, config: ShotgridConfig): Promise<string | null> {
  const response = await send(ctx, config, {
    method: 'GET',
    url: new URL(`${config.site}/api/v1/`),
    headers: { Accept: 'application/json' },
    timeoutMs: config.requestTimeoutMs,
    idempotent: true,
  });
  const data = (response.body as { data?: { shotgun_version?: unknown } } | null)?.data;
  return typeof data?.shotgun_version === 'string' ? data.shotgun_version : null;
}
