import { execa } from 'execa';
import { OpenClawError, type Platform } from '@openclaw-node/core';
import type { RunOptions, RunResult } from '../context.js';
import { killTree } from './kill-tree.js';
import { OutputTail } from './output-buffer.js';
import { abortError, spawnError } from './spawn-error.js';

const DEFAULT_MAX_OUTPUT = 1024 * 1024;
const FORCE_KILL_AFTER_MS = 3000;

export interface RunEnvironment {
  signal: AbortSignal;
  platform: Platform;
  env: NodeJS.ProcessEnv;
  onOutput?: ((stream: 'stdout' | 'stderr', line: string) => void) | undefined;
}

/**
 * Run a program to completion with an argument array (never a shell). The whole process tree is
 * killed on abort or on `timeoutMs`; output is streamed line by line and its tail kept.
 */
export async function runProcess(
  environment: RunEnvironment,
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { signal, platform } = environment;
  if (signal.aborted) throw abortError(signal);
  const started = Date.now();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const stdout = new OutputTail(max, (line) => {
    options.onStdoutLine?.(line);
    environment.onOutput?.('stdout', line);
  });
  const stderr = new OutputTail(max, (line) => {
    options.onStderrLine?.(line);
    environment.onOutput?.('stderr', line);
  });

  const subprocess = execa(file, [...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...environment.env, ...options.env },
    extendEnv: false,
    ...(options.input === undefined
      ? { stdin: 'ignore' as const }
      : { input: options.input, stdin: 'pipe' as const }),
    buffer: false,
    reject: false,
    detached: platform !== 'windows',
    windowsHide: true,
    windowsVerbatimArguments: options.windowsVerbatimArguments ?? false,
    encoding: 'utf8',
  });
  subprocess.stdout?.setEncoding('utf8').on('data', (text: string) => stdout.push(text));
  subprocess.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text));

  let timedOut = false;
  let forceTimer: NodeJS.Timeout | undefined;
  const terminate = (): void => {
    if (subprocess.pid === undefined) return;
    const pid = subprocess.pid;
    killTree(pid, platform, 'SIGTERM');
    forceTimer ??= setTimeout(() => killTree(pid, platform, 'SIGKILL'), FORCE_KILL_AFTER_MS);
    forceTimer.unref();
  };
  const onAbort = (): void => terminate();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          terminate();
        }, options.timeoutMs);

  try {
    const result = await subprocess;
    stdout.end();
    stderr.end();
    const command = [file, ...args];
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      throw spawnError(
        file,
        (result as { code?: string }).code,
        result.originalMessage ?? result.shortMessage ?? '',
      );
    }
    if (signal.aborted) throw abortError(signal);
    if (timedOut) {
      throw new OpenClawError('TIMEOUT', `${file} did not finish within ${options.timeoutMs} ms`, {
        details: { command, stderr: stderr.text().slice(-4000) },
      });
    }
    return {
      command,
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Date.now() - started,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    if (forceTimer && subprocess.exitCode !== null) clearTimeout(forceTimer);
  }
}
