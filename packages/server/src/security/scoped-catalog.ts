import type { PluginsResponse } from '@openclaw-node/core';
import type { Principal } from './auth/auth-provider.js';
import { canSeeNode, isNodeScoped } from './auth/permissions.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';

/** `GET /api/plugins` as the caller may see it: built from its nodes only when its token is node-scoped. */
export function catalogFor(catalog: PluginCatalog, principal: Principal | undefined): PluginsResponse {
  if (!isNodeScoped(principal)) return catalog.response();
  return catalog.responseFor((nodeId) => canSeeNode(principal, nodeId));
}
