import { OpenClawError, type NodeDetail } from '@openclaw-node/core';
import type Router from '@koa/router';
import type { AppState } from '../app-state.js';
import { canSeeNode, isNodeScoped } from '../../security/auth/permissions.js';
import type { NodeRegistry } from '../../nodes/node-registry.js';
import { sendJsonBytes } from '../json-response.js';
import { NodeListBody } from '../../nodes/node-list.js';
import { toNodeDetail } from '../../nodes/node-views.js';
import { isRemoteConnection } from '../../cluster/remote-connection.js';
import type { JobStore } from '../../jobs/index.js';
import type { PendingJobs } from '../../jobs/pending-jobs.js';
import { runningJobsOf } from './remote-pending-jobs.js';

/** `GET /api/nodes` and `GET /api/nodes/:id`. */
export function nodeRoutes(
  router: Router<AppState>,
  deps: { registry: NodeRegistry; jobs: PendingJobs; store: JobStore },
): void {
  const list = new NodeListBody(deps.registry);
  router.get('/api/nodes', (ctx) => {
    // A `NodesResponse`, from per-node JSON reused until that node changes: fast at 10,000 nodes.
    const { principal } = ctx.state;
    if (!isNodeScoped(principal))
      return sendJsonBytes(ctx, list.all(deps.registry, deps.jobs), { reuse: true });
    const sessions = deps.registry.list().filter((s) => canSeeNode(principal, s.nodeId));
    sendJsonBytes(ctx, list.render(sessions, deps.jobs));
  });

  router.get('/api/nodes/:id', async (ctx) => {
    const id = ctx.params.id!;
    const session = deps.registry.get(id);
    if (!session) {
      throw new OpenClawError('NODE_NOT_FOUND', `No node "${id}" is connected (GET /api/nodes lists them)`, {
        details: { node_id: id },
      });
    }
    const body: NodeDetail = toNodeDetail(session, deps.jobs);
    if (isRemoteConnection(session.connection)) {
      // Scale-out: its jobs run on the process holding its socket; the shared history knows them.
      body.pending_jobs = await runningJobsOf(deps.store, id);
      body.pending_commands = body.pending_jobs.length;
    }
    ctx.body = body;
  });
}
