import { access, open } from 'node:fs/promises';
import { OpenClawError, isOpenClawError, type LaunchResult } from '@openclaw-node/plugin-sdk';
import type { RvContext } from './config.js';

/** The interpreter named by a script's `#!` line, or null for a binary. */
export async function scriptInterpreter(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    return /^#!\s*(\S+)/.exec(head)?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** Null when the script's interpreter exists, else why it cannot run (the Linux RV wrappers need tcsh). */
export async function missingInterpreter(file: string): Promise<string | null> {
  const interpreter = await scriptInterpreter(file);
  if (!interpreter || !interpreter.startsWith('/')) return null;
  try {
    await access(interpreter);
    return null;
  } catch {
    return `${file} is a script for ${interpreter}, which is not installed${/tcsh|csh/.test(interpreter) ? ' (install the tcsh package)' : ''}`;
  }
}

/**
 * Start RV detached. An ENOENT for a file that exists means its `#!` interpreter is missing, which
 * is reported as APP_NOT_EXECUTABLE with the reason rather than a misleading "not found".
 */
export async function launchRv(ctx: RvContext, rv: string, args: string[]): Promise<LaunchResult> {
  try {
    return await ctx.launch(rv, args);
  } catch (error) {
    if (isOpenClawError(error) && error.code === 'APP_NOT_FOUND') {
      const reason = await missingInterpreter(rv);
      if (reason)
        throw new OpenClawError('APP_NOT_EXECUTABLE', `Cannot start RV: ${reason}`, {
          details: { file: rv },
          cause: error,
        });
    }
    throw error;
  }
}
