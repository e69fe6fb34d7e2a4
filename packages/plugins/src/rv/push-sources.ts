import { isOpenClawError } from '@openclaw-node/plugin-sdk';
import { findRv, requireRvpush } from './locate.js';
import type { OpenResult } from './results.js';
import { followUpPython, runRvpush } from './rvpush.js';
import type { RvContext } from './config.js';

export interface PushRequest {
  mode: 'merge' | 'set';
  tag: string | undefined;
  mediaArgs: string[];
  startIfNeeded: boolean;
  play?: boolean;
  fullscreen?: boolean;
}

/**
 * Push media into a running RV with `rvpush [-tag T] set|merge …`. When none answers, rvpush starts
 * one (the rv we found, unless RVPUSH_RV_EXECUTABLE_PATH says otherwise) or, with start_if_needed
 * false, fails with RV_UNREACHABLE. play/fullscreen follow as a fixed py-exec to the same RV.
 */
export async function pushSources(ctx: RvContext, request: PushRequest): Promise<OpenResult> {
  const rv = await findRv(ctx);
  const rvpush = await requireRvpush(ctx, rv.path);
  const startExecutable = !request.startIfNeeded
    ? 'none'
    : process.env.RVPUSH_RV_EXECUTABLE_PATH
      ? undefined
      : (rv.path ?? undefined);
  const pushed = await runRvpush(ctx, {
    rvpush,
    tag: request.tag,
    command: request.mode,
    args: request.mediaArgs,
    ...(startExecutable ? { startExecutable } : {}),
  });
  const result: OpenResult = {
    method: 'rvpush',
    started_new: pushed.startedNew,
    mode: request.mode,
    tag: request.tag ?? null,
    command: pushed.command,
  };
  const python = followUpPython(request);
  if (!python) return result;
  if (pushed.startedNew) {
    result.follow_up = {
      sent: false,
      reason: 'rvpush started a new RV (exit 15), which cannot take commands until it is up',
    };
    return result;
  }
  try {
    // 'none': a follow-up must never start a second RV.
    const sent = await runRvpush(ctx, {
      rvpush,
      tag: request.tag,
      command: 'py-exec',
      args: [python],
      startExecutable: 'none',
    });
    result.follow_up = { sent: true, command: sent.command };
  } catch (error) {
    if (ctx.signal.aborted || !isOpenClawError(error)) throw error;
    ctx.log.warn('the media was pushed but play/fullscreen could not be sent', {
      code: error.code,
      message: error.message,
    });
    result.follow_up = { sent: false, reason: `${error.code}: ${error.message}` };
  }
  return result;
}
