import { OpenClawError, type RunResult } from '@openclaw-node/plugin-sdk';
import type { ExplorerContext } from './config.js';
import { noDesktopSession, type DesktopSession } from './desktop-session.js';
import { requireTool } from './tools.js';

/** What became of one xdg-open call. */
export interface XdgOpenOutcome {
  command: string[];
  /** null while xdg-open is still running when we stopped waiting (it then owns the window). */
  exitCode: number | null;
}

/**
 * Open a folder with `xdg-open <path>`. Most desktops hand the request over and exit at once, but
 * in xdg-open's generic mode it runs the file manager in the foreground, so we wait only a grace
 * period for an exit code (xdg-open(1): 1 syntax, 2 missing file, 3 no tool, 4 action failed) and
 * otherwise leave it running.
 */
export async function runXdgOpen(
  ctx: ExplorerContext,
  target: string,
  field: string,
  session: DesktopSession,
): Promise<XdgOpenOutcome> {
  const xdgOpen = await requireTool(ctx, 'xdg-open');
  const waitMs = ctx.config.xdg_open_wait_ms;
  const running = ctx.run(xdgOpen, [target], { maxOutputBytes: 64 * 1024 });
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const result = await Promise.race([running, graceOver]);
    if (!result) {
      ctx.log.info('xdg-open is still running; leaving it to show the folder', { target });
      return { command: [xdgOpen, target], exitCode: null };
    }
    if (result.exitCode !== 0) throw xdgOpenError(result, target, field, session);
    return { command: result.command, exitCode: 0 };
  } finally {
    clearTimeout(timer);
  }
}

/** Map xdg-open's documented exit codes to our error codes. */
export function xdgOpenError(
  result: RunResult,
  target: string,
  field: string,
  session: DesktopSession,
): OpenClawError {
  const stderr = result.stderr.trim();
  const details = {
    field,
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    stderr,
    session,
  };
  const tail = stderr ? `: ${stderr}` : '';
  switch (result.exitCode) {
    case 2:
      return new OpenClawError('PATH_NOT_FOUND', `${field} does not exist (xdg-open exit 2): ${target}`, {
        details,
      });
    case 3:
    case 4:
      if (!session.display) {
        return noDesktopSession(
          `xdg-open could not open ${target} (exit ${result.exitCode}) and DISPLAY/WAYLAND_DISPLAY are unset${tail}`,
          details,
        );
      }
      return new OpenClawError(
        'PROCESS_FAILED',
        result.exitCode === 3
          ? `xdg-open found no application to open ${target} (exit 3): set a default file manager with xdg-mime${tail}`
          : `xdg-open failed to open ${target} (exit 4)${tail}`,
        { details },
      );
    case 1:
      return new OpenClawError('PROCESS_FAILED', `xdg-open rejected its command line (exit 1)${tail}`, {
        details,
      });
    case null:
    default:
      return new OpenClawError(
        'PROCESS_FAILED',
        `xdg-open ended with ${result.exitCode ?? result.signal ?? 'an error'}${tail}`,
        { details },
      );
  }
}
