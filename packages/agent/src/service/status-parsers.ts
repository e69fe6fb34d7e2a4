import { describeAgentExitCode } from './exit-codes.js';
import type { CommandResult, ServicePlatform } from './service-plan.js';

/** What one status command said about the service. */
export interface ParsedServiceState {
  /** False when the service manager could not be asked at all (no user bus, no GUI domain). */
  reachable: boolean;
  /** Known to the service manager (unit loaded, LaunchAgent bootstrapped, task registered). */
  loaded: boolean;
  running: boolean;
  pid?: number;
  enabled?: boolean;
  lastExitCode?: number;
  detail: string;
}

/** The output of a failed command on one line (launchctl spreads one message over two). */
function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ')
    .slice(0, 300);
}

function exitSentence(code: number | undefined): string {
  return code === undefined ? '' : `; last exit ${code}: ${describeAgentExitCode(code)}`;
}

/** Parse `systemctl --user show -p LoadState,ActiveState,SubState,MainPID,…` (key=value lines, any order). */
export function parseSystemdShow(result: CommandResult): ParsedServiceState {
  if (result.exitCode !== 0) {
    return {
      reachable: false,
      loaded: false,
      running: false,
      detail: oneLine(result.stderr) || 'systemctl failed',
    };
  }
  const props = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const loadState = props.get('LoadState') ?? '';
  const active = props.get('ActiveState') ?? 'unknown';
  const sub = props.get('SubState') ?? 'unknown';
  const pid = Number(props.get('MainPID') ?? '0');
  const unitFileState = props.get('UnitFileState') ?? '';
  const status = Number(props.get('ExecMainStatus') ?? '0');
  const failedExit = (props.get('Result') === 'exit-code' || active === 'failed') && status !== 0;
  const lastExitCode = failedExit ? status : undefined;
  const restarts = Number(props.get('NRestarts') ?? '0');
  if (loadState !== 'loaded') {
    return { reachable: true, loaded: false, running: false, detail: `unit ${loadState || 'unknown'}` };
  }
  const running = active === 'active' && sub === 'running';
  const parts = [`${active} (${sub})`];
  if (unitFileState !== '') parts.push(unitFileState);
  if (restarts > 0) parts.push(`restarted ${restarts} time${restarts === 1 ? '' : 's'}`);
  return {
    reachable: true,
    loaded: true,
    running,
    ...(pid > 0 ? { pid } : {}),
    ...(unitFileState !== '' ? { enabled: unitFileState === 'enabled' } : {}),
    ...(lastExitCode !== undefined ? { lastExitCode } : {}),
    detail: parts.join(', ') + exitSentence(lastExitCode),
  };
}

/**
 * Parse `launchctl print gui/<uid>/<label>`. Only the service's own top-level properties count
 * (one tab deep); nested blocks such as endpoints have their own `state =` lines.
 */
export function parseLaunchctlPrint(result: CommandResult): ParsedServiceState {
  if (result.exitCode !== 0) {
    const message = oneLine(result.stderr) || oneLine(result.stdout);
    const noDomain = /domain|not privileged/i.test(message) && !/find service/i.test(message);
    return { reachable: !noDomain, loaded: false, running: false, detail: message || 'not loaded' };
  }
  const props = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^\t([a-z][a-z ]*?) = (.*)$/.exec(line.replace(/\r$/, ''));
    if (match && !props.has(match[1]!)) props.set(match[1]!, match[2]!.trim());
  }
  const state = props.get('state') ?? 'unknown';
  const pid = Number(props.get('pid') ?? '0');
  const lastExit = /^(-?\d+)/.exec(props.get('last exit code') ?? '');
  const lastExitCode = lastExit ? Number(lastExit[1]) : undefined;
  const failed = lastExitCode !== undefined && lastExitCode !== 0;
  const running = state === 'running';
  return {
    reachable: true,
    loaded: true,
    running,
    ...(pid > 0 ? { pid } : {}),
    ...(lastExitCode !== undefined ? { lastExitCode } : {}),
    detail: `${state}${running || !failed ? '' : exitSentence(lastExitCode)}`,
  };
}

// Task Scheduler's own "Last Result" values, which are not exit codes of the agent.
const TASK_RESULTS: Record<number, string> = {
  267009: 'the task is running',
  267011: 'the task has not run yet',
  267014: 'the task was ended by a user',
  2147750687: 'an instance was already running',
};

/** Parse `schtasks /Query /TN <name> /V /FO LIST` (English field names). */
export function parseSchtasksQuery(result: CommandResult): ParsedServiceState {
  if (result.exitCode !== 0) {
    const message = oneLine(result.stderr) || oneLine(result.stdout);
    const missing = /cannot find|does not exist/i.test(message);
    return { reachable: missing, loaded: false, running: false, detail: message || 'schtasks failed' };
  }
  const props = new Map<string, string>();
  for (const line of result.stdout.split(/\r?\n/)) {
    const match = /^([A-Za-z][A-Za-z :]*?):\s+(.*)$/.exec(line);
    if (match && !props.has(match[1]!)) props.set(match[1]!, match[2]!.trim());
  }
  const status = props.get('Status');
  if (status === undefined) {
    return {
      reachable: true,
      loaded: true,
      running: false,
      detail: 'registered (schtasks output not in English)',
    };
  }
  const state = props.get('Scheduled Task State');
  const raw = Number(props.get('Last Result') ?? 'NaN');
  const taskResult = TASK_RESULTS[raw];
  const lastExitCode = Number.isInteger(raw) && taskResult === undefined ? raw : undefined;
  const failed = lastExitCode !== undefined && lastExitCode !== 0;
  const parts = [status === '' ? 'unknown' : status];
  if (state !== undefined) parts.push(state.toLowerCase());
  if (taskResult !== undefined && status !== 'Running') parts.push(taskResult);
  return {
    reachable: true,
    loaded: true,
    running: status === 'Running',
    ...(state !== undefined ? { enabled: state === 'Enabled' } : {}),
    ...(lastExitCode !== undefined ? { lastExitCode } : {}),
    detail: parts.join(', ') + (failed && status !== 'Running' ? exitSentence(lastExitCode) : ''),
  };
}

/** Parse the output of the plan's status command for a platform. */
export function parseServiceStatus(platform: ServicePlatform, result: CommandResult): ParsedServiceState {
  switch (platform) {
    case 'linux':
      return parseSystemdShow(result);
    case 'darwin':
      return parseLaunchctlPrint(result);
    case 'windows':
      return parseSchtasksQuery(result);
  }
}
