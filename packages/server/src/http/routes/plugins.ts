import { OpenClawError } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import { sendCachedJson } from '../json-response.js';
import type { PluginCatalog } from '../../nodes/plugin-catalog.js';
import { catalogFor } from '../../security/scoped-catalog.js';

/** `GET /api/plugins` (the catalog) and `GET /api/plugins/:name`. */
export function pluginRoutes(router: Router<AppState>, deps: { catalog: PluginCatalog }): void {
  router.get('/api/plugins', (ctx) => {
    sendCachedJson(ctx, catalogFor(deps.catalog, ctx.state.principal));
  });

  router.get('/api/plugins/:name', (ctx) => {
    const name = ctx.params.name!;
    const plugin = catalogFor(deps.catalog, ctx.state.principal).plugins.find((p) => p.name === name);
    if (!plugin) {
      throw new OpenClawError(
        'PLUGIN_NOT_FOUND',
        `No connected node has plugin "${name}" (GET /api/plugins lists them)`,
        {
          details: { plugin: name },
        },
      );
    }
    sendCachedJson(ctx, plugin);
  });
}
