import {
  OpenClawError,
  createSchemaCompiler,
  assertValid,
  toErrorPayload,
  toPlatform,
  type ErrorPayload,
  type JsonSchema,
  type Platform,
} from '@openclaw-node/core';
import type {
  ActionContext,
  LaunchOptions,
  LaunchResult,
  RunOptions,
  RunResult,
  WhichResult,
  WhichSpec,
} from './context.js';
import type { PluginDefinition } from './define.js';
import { createProcessRuntime, untilAborted } from './runtime/index.js';

export interface RunCall {
  file: string;
  args: string[];
  options: RunOptions;
  result?: RunResult;
}

export interface LaunchCall {
  file: string;
  args: string[];
  options: LaunchOptions;
  result?: LaunchResult;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** Everything an action did in one run under the harness. */
export interface ActionRecording {
  result: unknown;
  error: (ErrorPayload & { thrown: unknown }) | undefined;
  progress: { fraction: number; message?: string }[];
  logs: LogEntry[];
  runs: RunCall[];
  launches: LaunchCall[];
  whichCalls: { spec: WhichSpec; result: WhichResult }[];
}

export interface TestRunOptions {
  params?: unknown;
  /** Defaults to the host's platform. */
  platform?: Platform;
  /** The plugin's `plugin_config` section. */
  config?: Record<string, unknown>;
  /** Environment for `which` and child processes (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Abort the action from the test (cancel). */
  signal?: AbortSignal;
  /** Abort with TIMEOUT after this many ms. */
  timeoutMs?: number;
  /** Answer a `ctx.run` call yourself; return undefined to run the real process. */
  onRun?: (call: RunCall) => Partial<RunResult> | undefined | Promise<Partial<RunResult> | undefined>;
  /** Answer a `ctx.launch` call yourself; return undefined to really launch. */
  onLaunch?: (
    call: LaunchCall,
  ) => Partial<LaunchResult> | undefined | Promise<Partial<LaunchResult> | undefined>;
  /** Answer a `ctx.which` call yourself; return undefined for the real lookup. */
  onWhich?: (spec: WhichSpec) => WhichResult | undefined | Promise<WhichResult | undefined>;
  /** Check the result against the action's `result` schema (default true). */
  checkResult?: boolean;
}

const compiler = createSchemaCompiler({ allErrors: true });

/**
 * Run one action of a plugin with a recording context: params are checked against the schema
 * first, processes are recorded with their argv (really run unless `onRun`/`onLaunch` answer).
 * @example const rec = await runAction(plugin, 'open_folder', { params: { path: '/tmp' }, platform: 'linux' })
 */
export async function runAction(
  plugin: PluginDefinition,
  actionName: string,
  options: TestRunOptions = {},
): Promise<ActionRecording> {
  const action = plugin.actions[actionName];
  if (!action) throw new OpenClawError('ACTION_NOT_FOUND', `${plugin.name} has no action ${actionName}`);
  const recording: ActionRecording = {
    result: undefined,
    error: undefined,
    progress: [],
    logs: [],
    runs: [],
    launches: [],
    whichCalls: [],
  };
  const controller = new AbortController();
  options.signal?.addEventListener(
    'abort',
    () => controller.abort(new OpenClawError('CANCELLED', 'the job was cancelled')),
    {
      once: true,
    },
  );
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(
              new OpenClawError(
                'TIMEOUT',
                `${plugin.name}.${actionName} did not finish within ${String(options.timeoutMs)} ms`,
                { details: { timeoutMs: options.timeoutMs } },
              ),
            ),
          options.timeoutMs,
        );
  const ctx = createRecordingContext(controller.signal, recording, options);
  try {
    const params = structuredClone(options.params ?? {});
    assertValid(compiler.compile(action.params as JsonSchema)(params));
    // As the agent does: once aborted, the answer is the abort's reason (CANCELLED or TIMEOUT),
    // whatever the handler throws then (an AbortError from timers/promises, say) or never settles.
    recording.result = await untilAborted(
      controller.signal,
      Promise.resolve().then(() => action.run(params as never, ctx)),
    );
    if (action.result && options.checkResult !== false) {
      assertValid(
        compiler.compile(action.result as JsonSchema, 'result')(recording.result),
        'INVALID_RESULT',
      );
    }
  } catch (thrown) {
    recording.error = { ...toErrorPayloadOrPlain(thrown), thrown };
  } finally {
    if (timer) clearTimeout(timer);
  }
  return recording;
}

function toErrorPayloadOrPlain(thrown: unknown): ErrorPayload {
  const payload = toErrorPayload(thrown);
  if (payload.code === 'INTERNAL_ERROR' && thrown instanceof Error) {
    return { code: 'ACTION_FAILED', message: thrown.message };
  }
  return payload;
}

/** A context that records progress, logs and processes; used by `runAction`. */
export function createRecordingContext(
  signal: AbortSignal,
  recording: ActionRecording,
  options: TestRunOptions,
): ActionContext {
  const platform = options.platform ?? toPlatform(process.platform) ?? 'linux';
  const real = createProcessRuntime({ signal, platform, env: options.env ?? process.env });
  const log = (level: LogEntry['level']) => (message: string, data?: Record<string, unknown>) =>
    recording.logs.push(data === undefined ? { level, message } : { level, message, data });
  return {
    signal,
    platform,
    config: options.config ?? {},
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    progress(fraction, message) {
      recording.progress.push(message === undefined ? { fraction } : { fraction, message });
    },
    async run(file, args, runOptions = {}) {
      const call: RunCall = { file, args: [...args], options: runOptions };
      recording.runs.push(call);
      const scripted = await options.onRun?.(call);
      call.result = scripted
        ? {
            command: [file, ...args],
            exitCode: 0,
            signal: null,
            stdout: '',
            stderr: '',
            truncated: false,
            durationMs: 0,
            ...scripted,
          }
        : await real.run(file, args, runOptions);
      return call.result;
    },
    async launch(file, args, launchOptions = {}) {
      const call: LaunchCall = { file, args: [...args], options: launchOptions };
      recording.launches.push(call);
      const scripted = await options.onLaunch?.(call);
      call.result = scripted
        ? { command: [file, ...args], pid: 4242, ...scripted }
        : await real.launch(file, args, launchOptions);
      return call.result;
    },
    async which(spec) {
      const result = (await options.onWhich?.(spec)) ?? (await real.which(spec));
      recording.whichCalls.push({ spec, result });
      return result;
    },
  };
}
