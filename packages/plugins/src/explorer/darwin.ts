import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { requireTool } from './tools.js';
import type { ExplorerContext } from './config.js';

const OPEN_TIMEOUT_MS = 30_000;

/**
 * Run `/usr/bin/open [-R] <path>`. It hands the request to Finder and exits, so it is awaited:
 * a non-zero exit is an error carrying open's stderr.
 */
export async function runOpen(ctx: ExplorerContext, args: string[], field: string): Promise<string[]> {
  const open = await requireTool(ctx, 'open');
  const result = await ctx.run(open, args, { timeoutMs: OPEN_TIMEOUT_MS, maxOutputBytes: 64 * 1024 });
  if (result.exitCode === 0) return result.command;
  const stderr = result.stderr.trim();
  const details = {
    field,
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    stderr,
  };
  if (/does not exist/i.test(stderr)) {
    throw new OpenClawError('PATH_NOT_FOUND', `${field}: ${stderr}`, { details });
  }
  throw new OpenClawError(
    'PROCESS_FAILED',
    `open exited with ${result.exitCode ?? result.signal ?? 'an error'}${stderr ? `: ${stderr}` : ''}`,
    { details },
  );
}
