import { OpenClawError, isOpenClawError, requireApp } from '@openclaw-node/plugin-sdk';
import { locateBridgeScript } from './bridge-script.js';
import { resolveSettings, type ResolveConfig, type ResolveContext } from './config.js';
import { resolvePythonSpec } from './locations.js';
import { isResolveRunning } from './process-check.js';

/** The line prefix the bridge prints its one JSON answer behind. */
export const RESULT_MARKER = '@@AGENT_RESULT@@';
const PROTOCOL = 1;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export type BridgeAction = 'ping' | 'get_current_project' | 'add_to_media_pool' | 'create_timeline';

/** Codes the bridge may report; anything else it says is treated as a bridge failure. */
const BRIDGE_CODES = new Set([
  'RESOLVE_MODULE_NOT_FOUND',
  'RESOLVE_UNREACHABLE',
  'RESOLVE_NO_PROJECT',
  'RESOLVE_IMPORT_FAILED',
  'RESOLVE_TIMELINE_FAILED',
  'RESOLVE_BRIDGE_FAILED',
]);

export interface BridgeRequest {
  action: BridgeAction;
  args?: Record<string, unknown>;
  /** Used when plugin_config.resolve.timeout_seconds is not set. */
  defaultTimeoutSeconds: number;
}

/** Find the bridge's Python or throw APP_NOT_FOUND; an explicit config path that is wrong is CONFIG_INVALID. */
export async function findBridgePython(
  ctx: ResolveContext,
  config: ResolveConfig,
): Promise<{ path: string; source: string }> {
  const found = await ctx.which(resolvePythonSpec(ctx.platform, config));
  if (config.python && found.source !== 'config') {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `plugin_config.resolve.python is not an executable file: ${config.python}`,
      {
        details: { field: 'plugin_config.resolve.python', path: config.python },
      },
    );
  }
  return {
    path: requireApp('Python 3 for DaVinci Resolve scripting', found),
    source: found.source ?? 'path',
  };
}

/**
 * Run one command through the bridge: an external Python running the bundled script, the command
 * written to its stdin as JSON, the answer read from the marker line. Failures become RESOLVE_* codes.
 */
export async function runBridge(
  ctx: ResolveContext,
  request: BridgeRequest,
): Promise<Record<string, unknown>> {
  const config = resolveSettings(ctx.config);
  const python = await findBridgePython(ctx, config);
  return runBridgeWith(ctx, config, python.path, request);
}

/** runBridge with the config and Python already settled (ping reuses them). */
export async function runBridgeWith(
  ctx: ResolveContext,
  config: ResolveConfig,
  python: string,
  request: BridgeRequest,
): Promise<Record<string, unknown>> {
  const script = locateBridgeScript();
  const timeoutSeconds = config.timeoutSeconds ?? request.defaultTimeoutSeconds;
  const input = JSON.stringify({
    protocol: PROTOCOL,
    action: request.action,
    args: request.args ?? {},
    setup: { script_api: config.scriptApi ?? null, script_lib: config.scriptLib ?? null },
  });
  ctx.log.debug('running the Resolve bridge', { python, script, action: request.action });
  let run;
  try {
    run = await ctx.run(python, ['-B', script], {
      input,
      timeoutMs: timeoutSeconds * 1000,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      // No .pyc next to the bundled script or the scripting module; UTF-8 whatever the console uses.
      env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    });
  } catch (error) {
    if (isOpenClawError(error) && error.code === 'TIMEOUT' && !ctx.signal.aborted) {
      throw new OpenClawError(
        'TIMEOUT',
        `The Resolve bridge did not answer within ${timeoutSeconds} s and was killed: Resolve may be starting up, busy, or showing a dialog`,
        { details: { action: request.action, timeout_seconds: timeoutSeconds, python }, cause: error },
      );
    }
    throw error;
  }
  const answer = parseAnswer(run.stdout);
  if (!answer) {
    throw new OpenClawError(
      'RESOLVE_BRIDGE_FAILED',
      `The Resolve bridge ended (exit ${run.exitCode ?? run.signal}) without an answer`,
      {
        details: { python, exit_code: run.exitCode, signal: run.signal, stderr: run.stderr.slice(-4000) },
      },
    );
  }
  if (answer.ok === true) return isRecord(answer.result) ? answer.result : {};
  throw await toBridgeError(ctx, config, answer);
}

function parseAnswer(stdout: string): Record<string, unknown> | null {
  const line = stdout
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  if (line === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(line.slice(RESULT_MARKER.length));
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

async function toBridgeError(
  ctx: ResolveContext,
  config: ResolveConfig,
  answer: Record<string, unknown>,
): Promise<OpenClawError> {
  const reported =
    typeof answer.code === 'string' && BRIDGE_CODES.has(answer.code) ? answer.code : 'RESOLVE_BRIDGE_FAILED';
  const message =
    typeof answer.message === 'string' && answer.message
      ? answer.message
      : `The Resolve bridge failed (${reported})`;
  const details = isRecord(answer.details) ? answer.details : {};
  if (reported === 'RESOLVE_UNREACHABLE' && config.processCheck) {
    const running = await isResolveRunning(ctx);
    if (running === false) {
      return new OpenClawError(
        'RESOLVE_NOT_RUNNING',
        'DaVinci Resolve is not running on this machine: start it and open a project',
        {
          details: { ...details, running: false },
        },
      );
    }
    return new OpenClawError(
      reported,
      running
        ? 'DaVinci Resolve is running but does not answer scripting calls: set Preferences > System > General > External scripting using to Local (Studio edition only), or wait until it has finished starting'
        : message,
      { details: { ...details, running } },
    );
  }
  return new OpenClawError(reported, message, { details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
