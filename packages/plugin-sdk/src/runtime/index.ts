import type { Platform } from '@openclaw-node/core';
import type { ActionContext } from '../context.js';
import { launchProcess } from './launch.js';
import { runProcess } from './run.js';
import { findExecutable } from './which.js';

export interface ProcessRuntimeOptions {
  /** Aborted on cancel or timeout: running processes are killed with their trees. */
  signal: AbortSignal;
  platform: Platform;
  env?: NodeJS.ProcessEnv;
  /** Every line a `run` process prints, for forwarding as job output. */
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** The real `run`, `launch` and `which` of an ActionContext, as the agent provides them. */
export function createProcessRuntime(
  options: ProcessRuntimeOptions,
): Pick<ActionContext, 'run' | 'launch' | 'which'> {
  const environment = {
    signal: options.signal,
    platform: options.platform,
    env: options.env ?? process.env,
    onOutput: options.onOutput,
  };
  return {
    run: (file, args, runOptions) => runProcess(environment, file, args, runOptions),
    launch: (file, args, launchOptions) => launchProcess(environment, file, args, launchOptions),
    which: (spec) => findExecutable(environment, spec),
  };
}

export { killTree } from './kill-tree.js';
export { compareNewestFirst } from './version-sort.js';
export { runProcess, type RunEnvironment } from './run.js';
export { launchProcess } from './launch.js';
export { findExecutable } from './which.js';
export { untilAborted } from './until-aborted.js';
