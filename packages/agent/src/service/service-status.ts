import { access } from 'node:fs/promises';
import { hintForFailure } from './command-hints.js';
import { runServiceCommand } from './command-runner.js';
import type { CommandRunner, ServicePlan, ServicePlatform } from './service-plan.js';
import { parseServiceStatus } from './status-parsers.js';

/** Whether the agent service is installed and running, as the service manager reports it. */
export interface ServiceStatus {
  platform: ServicePlatform;
  label: string;
  installed: boolean;
  running: boolean;
  pid?: number;
  /** Starts at the next login. */
  enabled?: boolean;
  /** The agent's last non-zero exit code, when it stopped with one. */
  lastExitCode?: number;
  /** One human line: state, and why it stopped. */
  detail: string;
  definitionPath: string;
  logs: string;
}

export interface ServiceStatusOptions {
  run?: CommandRunner;
  fileExists?: (filePath: string) => Promise<boolean>;
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ask the service manager about the planned service (`systemctl --user show`, `launchctl print`,
 * `schtasks /Query`). Never throws for a missing service: that is `installed: false`.
 * @example const { installed, running, detail } = await serviceStatus(plan)
 */
export async function serviceStatus(
  plan: ServicePlan,
  options: ServiceStatusOptions = {},
): Promise<ServiceStatus> {
  const run = options.run ?? runServiceCommand;
  const fileExists = options.fileExists ?? exists;
  const [argv] = plan.commands.status;
  if (argv === undefined) throw new TypeError('the plan has no status command');
  const [result, written] = await Promise.all([run(argv), fileExists(plan.definitionPath)]);
  const parsed = parseServiceStatus(plan.platform, result);
  // On Windows the XML file is only the import source; the registered task is what counts.
  const installed = plan.platform === 'windows' ? parsed.loaded : written || parsed.loaded;
  let detail = parsed.detail;
  if (!parsed.reachable) {
    const hint = hintForFailure(plan.platform, argv, result);
    detail = `cannot ask the service manager: ${parsed.detail}${hint ? ` (${hint})` : ''}`;
  } else if (!installed) {
    detail = 'not installed';
  } else if (!parsed.loaded) {
    detail = `installed but not loaded: ${parsed.detail}`;
  }
  return {
    platform: plan.platform,
    label: plan.label,
    installed,
    running: parsed.running,
    ...(parsed.pid !== undefined ? { pid: parsed.pid } : {}),
    ...(parsed.enabled !== undefined ? { enabled: parsed.enabled } : {}),
    ...(parsed.lastExitCode !== undefined ? { lastExitCode: parsed.lastExitCode } : {}),
    detail,
    definitionPath: plan.definitionPath,
    logs: plan.logs,
  };
}
