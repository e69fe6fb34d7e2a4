import type { PendingJob } from '@openclaw-node/core';
import type { JobStore } from '../../jobs/index.js';

/** At most this many running jobs are read for one node (an agent runs a handful at a time). */
const MAX_PENDING = 200;

/** The running jobs of a node as `GET /api/nodes/:id` shows them, read from the job history, oldest first. */
export async function runningJobsOf(store: JobStore, nodeId: string): Promise<PendingJob[]> {
  const page = await store.list({ node_id: nodeId, state: 'running' }, { limit: MAX_PENDING });
  return page.jobs.reverse().map((job) => {
    const view: PendingJob = {
      command_id: job.command_id,
      action: job.action,
      started_at: job.started_at ?? job.created_at,
    };
    if (job.progress !== null) view.progress = job.progress;
    if (job.message !== null) view.message = job.message;
    return view;
  });
}
