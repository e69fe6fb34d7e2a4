import { OpenClawError, type MeResponse } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import { hasRole } from '../../security/auth/auth-provider.js';
import { canExec } from '../../security/auth/permissions.js';
import type { NodeRegistry } from '../../nodes/node-registry.js';

/**
 * `GET /api/me`: the caller's token name, roles and scopes, so a UI shows only what it may do;
 * `?node=<id>` adds the actions that node advertises which the caller may run there.
 */
export function meRoutes(router: Router<AppState>, deps: { registry: NodeRegistry }): void {
  router.get('/api/me', (ctx) => {
    const principal = ctx.state.principal;
    if (!principal) throw new OpenClawError('AUTH_REQUIRED', 'GET /api/me needs a token');
    const body: MeResponse = {
      name: principal.name,
      roles: [...principal.roles],
      via: principal.via ?? null,
      expires_at: principal.expiresAt ? principal.expiresAt.toISOString() : null,
      nodes: principal.nodes ? [...principal.nodes] : null,
      actions: principal.actions ? [...principal.actions] : null,
      can_exec: hasRole(principal, 'operator'),
    };
    const node = ctx.query.node;
    if (node !== undefined) {
      if (typeof node !== 'string' || node === '') {
        throw new OpenClawError('INVALID_BODY', 'query.node must be one node id', {
          details: { field: 'query.node' },
        });
      }
      const session = deps.registry.get(node);
      const actions: string[] = [];
      for (const [plugin, advertised] of session ? session.plugins : []) {
        for (const action of Object.keys(advertised.manifest.actions)) {
          const id = `${plugin}.${action}`;
          if (canExec(principal, node, id)) actions.push(id);
        }
      }
      body.node_actions = { node_id: node, actions: actions.sort() };
    }
    ctx.body = body;
  });
}
