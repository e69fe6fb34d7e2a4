import { execa } from 'execa';
import type { Platform } from '@openclaw-node/core';
import type { LaunchOptions, LaunchResult } from '../context.js';
import { abortError, spawnError } from './spawn-error.js';

/**
 * Start a GUI program detached from the agent and return once it has spawned. A spawn failure
 * (missing or non-executable file) is reported; what the program does afterwards is its own.
 */
export async function launchProcess(
  environment: { signal: AbortSignal; platform: Platform; env: NodeJS.ProcessEnv },
  file: string,
  args: readonly string[],
  options: LaunchOptions = {},
): Promise<LaunchResult> {
  if (environment.signal.aborted) throw abortError(environment.signal);
  const subprocess = execa(file, [...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...environment.env, ...options.env },
    extendEnv: false,
    detached: true,
    stdio: 'ignore',
    reject: false,
    cleanup: false,
    windowsHide: false,
    windowsVerbatimArguments: options.windowsVerbatimArguments ?? false,
  });
  subprocess.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    subprocess.once('spawn', () => resolve());
    subprocess.once('error', (error: NodeJS.ErrnoException) =>
      reject(spawnError(file, error.code, error.message)),
    );
  });
  subprocess.unref();
  return { command: [file, ...args], pid: subprocess.pid };
}
