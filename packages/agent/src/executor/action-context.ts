import type { Platform } from '@openclaw-node/core';
import type { ActionContext, ActionLogger } from '@openclaw-node/plugin-sdk';
import type { ProcessRuntimeOptions } from '@openclaw-node/plugin-sdk/runtime';
import type { Logger } from 'pino';
import type { JobReporter } from './job-reporter.js';

/** Builds `run`, `launch` and `which` for one job (the SDK's createProcessRuntime in production). */
export type RuntimeFactory = (
  options: ProcessRuntimeOptions,
) => Pick<ActionContext, 'run' | 'launch' | 'which'>;

export interface ActionContextOptions {
  signal: AbortSignal;
  platform: Platform;
  config: Record<string, unknown>;
  logger: Logger;
  reporter: JobReporter;
  createRuntime: RuntimeFactory;
}

/** The ActionContext a handler gets: everything it may touch, bound to one job. */
export function createActionContext(options: ActionContextOptions): ActionContext {
  const { signal, platform, reporter, logger } = options;
  const runtime = options.createRuntime({
    signal,
    platform,
    onOutput: (stream, line) => reporter.output(stream, line),
  });
  return {
    signal,
    platform,
    config: options.config,
    progress: (fraction, message) => reporter.progress(fraction, message),
    log: createActionLogger(logger, reporter),
    run: runtime.run,
    launch: runtime.launch,
    which: runtime.which,
  };
}

function createActionLogger(logger: Logger, reporter: JobReporter): ActionLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>): void => {
      const text = String(message);
      logger[level](data ?? {}, text);
      // Debug stays local; the rest is forwarded so the caller sees why an action did what it did.
      if (level !== 'debug') reporter.output('log', `[${level}] ${text}${formatData(data)}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function formatData(data: Record<string, unknown> | undefined): string {
  if (data === undefined) return '';
  try {
    return ` ${JSON.stringify(data)}`;
  } catch {
    return '';
  }
}
