import type { PluginsResponse } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import type { PluginCatalog } from '../../nodes/plugin-catalog.js';
import { catalogFor } from '../../security/scoped-catalog.js';
import { buildOpenApiDocument } from './build-document.js';

/** `GET /api/openapi.json` (authenticated like the rest): the exec body follows the caller's catalog. */
export function openApiRoutes(router: Router<AppState>, deps: { catalog: PluginCatalog }): void {
  // The catalog answer is rebuilt only when nodes change; the document is kept as long as it is.
  const documents = new WeakMap<PluginsResponse, string>();
  router.get('/api/openapi.json', (ctx) => {
    const catalog = catalogFor(deps.catalog, ctx.state.principal);
    let text = documents.get(catalog);
    if (text === undefined) {
      text = JSON.stringify(buildOpenApiDocument(catalog));
      documents.set(catalog, text);
    }
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = text;
  });
}
