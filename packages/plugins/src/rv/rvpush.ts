import { OpenClawError, type RunResult } from '@openclaw-node/plugin-sdk';
import type { RvContext } from './config.js';

/** An rvpush command we send: media into the session, or a fixed Python snippet. */
export type RvpushCommand = 'set' | 'merge' | 'py-exec';

export interface RvpushOutcome {
  command: string[];
  exitCode: number;
  /** Exit 15: no RV answered, so rvpush started a new one with our media on its command line. */
  startedNew: boolean;
}

export interface RvpushCall {
  rvpush: string;
  tag: string | undefined;
  command: RvpushCommand;
  args: string[];
  /** What rvpush starts when no RV answers: an executable, or 'none' to start nothing. */
  startExecutable?: string;
}

/** `rvpush [-tag T] <command> <args…>`: `-tag` must be argv[1] and its value argv[2] (rvpush main.cpp). */
export function rvpushArgs(tag: string | undefined, command: RvpushCommand, args: string[]): string[] {
  return [...(tag ? ['-tag', tag] : []), command, ...args];
}

/**
 * Run rvpush and map its exit codes (OpenRV rvpush main.cpp): 0 delivered, 15 started a new RV,
 * 4 connection failed and 11 nothing reachable or startable (RV_UNREACHABLE), 1-3 usage errors.
 */
export async function runRvpush(ctx: RvContext, call: RvpushCall): Promise<RvpushOutcome> {
  const args = rvpushArgs(call.tag, call.command, call.args);
  const env = call.startExecutable ? { RVPUSH_RV_EXECUTABLE_PATH: call.startExecutable } : undefined;
  const timeoutMs = ctx.config.rvpush_timeout_ms;
  const result = await ctx.run(call.rvpush, args, {
    timeoutMs,
    maxOutputBytes: 64 * 1024,
    ...(env ? { env } : {}),
  });
  if (result.exitCode === 0 || result.exitCode === 15) {
    return { command: result.command, exitCode: result.exitCode, startedNew: result.exitCode === 15 };
  }
  throw rvpushError(result, call.tag);
}

function rvpushError(result: RunResult, tag: string | undefined): OpenClawError {
  const stderr = result.stderr.trim().slice(-2000);
  const target = tag ? `an RV tagged "${tag}"` : 'an untagged RV';
  const details = {
    command: result.command,
    exitCode: result.exitCode,
    signal: result.signal,
    stderr,
    tag: tag ?? null,
  };
  switch (result.exitCode) {
    case 4:
      return new OpenClawError(
        'RV_UNREACHABLE',
        `rvpush found ${target} but the connection to it failed (exit 4)`,
        { details },
      );
    case 11:
      return new OpenClawError(
        'RV_UNREACHABLE',
        `rvpush could not connect to ${target} and could not start a new RV (exit 11); start RV with -network${tag ? ` -networkTag ${tag}` : ''}, or allow starting one`,
        { details },
      );
    case null:
    default:
      return new OpenClawError(
        'PROCESS_FAILED',
        `rvpush exited with ${result.exitCode ?? result.signal ?? 'an error'}${stderr ? `: ${stderr.split('\n', 1)[0]}` : ''}`,
        { details },
      );
  }
}

/** The fixed Python sent after a push for play/fullscreen: never built from params. */
export function followUpPython(options: { play?: boolean; fullscreen?: boolean }): string | undefined {
  const statements = [
    ...(options.fullscreen ? ['commands.fullScreenMode(True)'] : []),
    ...(options.play ? ['commands.play()'] : []),
  ];
  return statements.length ? `from rv import commands; ${statements.join('; ')}` : undefined;
}
