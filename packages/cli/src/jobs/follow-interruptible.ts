import type { OpenClawClient } from '@openclaw-node/client';
import type { JobView } from '@openclaw-node/core';
import type { OpenClawContext } from '../context.js';
import { waitForShutdown } from '../shutdown.js';
import { followJob, type FollowOutput } from './follow-job.js';

/** Exit code of a follow stopped by Ctrl+C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/** The job being followed and how to reach it again: the `--server` flag, when one was given. */
export interface FollowedJob {
  commandId: string;
  nodeId: string;
  /** ` --server <url>` when the user named the server by flag (never the token). */
  serverArgs: string;
}

/**
 * Follow a job until it ends, saying first which job it is; Ctrl+C (SIGINT, SIGTERM or the context's
 * shutdown signal) stops following only: the job keeps running on its node, and the exact lines to
 * follow it again or cancel it are printed on stderr. Returns the ended job, or `interrupted`.
 */
export async function followInterruptible(
  client: OpenClawClient,
  job: FollowedJob,
  out: FollowOutput,
  context: OpenClawContext,
): Promise<JobView | 'interrupted'> {
  const { commandId, nodeId, serverArgs } = job;
  context.stderr.write(
    `Following job ${commandId} on ${nodeId}; Ctrl+C stops following, the job keeps running.\n`,
  );
  const controller = new AbortController();
  const shutdown = waitForShutdown(context);
  let interrupted = false;
  void shutdown.done.then(() => {
    interrupted = true;
    controller.abort();
  });
  try {
    return await followJob(client, commandId, out, controller.signal);
  } catch (error) {
    if (!interrupted) throw error;
    context.stderr.write(
      [
        `Stopped following. Job ${commandId} keeps running on ${nodeId}.`,
        `  follow it again:  openclaw job ${commandId} --follow${serverArgs}`,
        `  cancel it:        openclaw job cancel ${commandId}${serverArgs}`,
        '',
      ].join('\n'),
    );
    return 'interrupted';
  } finally {
    shutdown.dispose();
  }
}
