import {
  assertValid,
  isOpenClawError,
  OpenClawError,
  type Platform,
  type PluginHealth,
} from '@openclaw-node/core';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/agent-config.js';
import { createActionContext, type RuntimeFactory } from '../executor/action-context.js';
import type { JobReporter } from '../executor/job-reporter.js';
import { toResult } from '../executor/result.js';
import type { LoadedPlugin } from '../plugins/plugin-catalog.js';
import { cap, healthFromPing } from './ping-health.js';
import { untilAborted } from '@openclaw-node/plugin-sdk/runtime';

export interface PluginHealthCheckOptions {
  pluginConfig: AgentConfig['plugin_config'];
  platform: Platform;
  logger: Logger;
  createRuntime: RuntimeFactory;
  /** Deadline of one ping. */
  timeoutMs: number;
  /** Aborts the ping (the agent is stopping). */
  signal?: AbortSignal;
  now?: () => Date;
}

/** Health checks have no job: what a ping reports as progress or output stays in the agent's log. */
const SILENT_REPORTER: JobReporter = { progress() {}, output() {}, close() {} };

/**
 * Run one plugin's `ping` the way the executor runs a job (validated params, the plugin's
 * `plugin_config`, the same runtime, a deadline) and turn its answer into health. Never rejects:
 * a plugin without ping, or whose ping fails or hangs, is reported as unknown — available, with
 * a reason — so a broken self-check never hides a plugin that may well work.
 */
export async function checkPluginHealth(
  plugin: LoadedPlugin,
  options: PluginHealthCheckOptions,
): Promise<PluginHealth> {
  const now = options.now ?? (() => new Date());
  const action = plugin.actions.get('ping');
  if (!action) {
    return {
      plugin: plugin.name,
      available: true,
      reason: 'unknown: the plugin has no ping action to check it with',
      checkedAt: now().toISOString(),
    };
  }
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = setTimeout(() => {
    controller.abort(
      new OpenClawError('TIMEOUT', `${action.id} did not finish within ${seconds(options.timeoutMs)}`, {
        details: { timeoutMs: options.timeoutMs },
      }),
    );
  }, options.timeoutMs);
  const log = options.logger.child({ plugin: plugin.name, action: action.id, health: true });
  try {
    const params: Record<string, unknown> = {};
    assertValid(action.validateParams(params));
    const ctx = createActionContext({
      signal: controller.signal,
      platform: options.platform,
      config: options.pluginConfig[plugin.name] ?? {},
      logger: log,
      reporter: SILENT_REPORTER,
      createRuntime: options.createRuntime,
    });
    const run = action.definition.run.bind(action.definition);
    const value = await untilAborted(
      controller.signal,
      Promise.resolve().then((): unknown => run(params, ctx)),
    );
    const health = healthFromPing(
      plugin.name,
      toResult(value, action),
      [...plugin.actions.keys()],
      now().toISOString(),
    );
    log.debug({ available: health.available, reason: health.reason }, 'health checked');
    return health;
  } catch (error) {
    const { code, message } = describe(error);
    log.warn({ code }, `health check failed: ${message}`);
    return {
      plugin: plugin.name,
      available: true,
      reason: cap(`unknown: its health check failed (${code}: ${message})`),
      checkedAt: now().toISOString(),
    };
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (isOpenClawError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ACTION_FAILED', message: message || 'the ping failed' };
}

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
