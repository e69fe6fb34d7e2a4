import { Builtins } from './clipanion.js';
import { AgentDoctorCommand } from './commands/agent/doctor.js';
import { AgentInitCommand } from './commands/agent/init.js';
import { AgentInstallCommand } from './commands/agent/install.js';
import { AgentLogsCommand } from './commands/agent/logs.js';
import { AgentServiceStartCommand } from './commands/agent/service-start.js';
import { AgentServiceStopCommand } from './commands/agent/service-stop.js';
import { AgentStartCommand } from './commands/agent/start.js';
import { AgentStatusCommand } from './commands/agent/status.js';
import { AgentUninstallCommand } from './commands/agent/uninstall.js';
import type { OpenClawContext } from './context.js';
import { runCliOf, type CliFlavor } from './run-cli.js';

// The `openclaw` of @openclaw-node/workstation: only what a workstation runs. Nothing here may
// import @openclaw-node/server or @openclaw-node/client: the workstation bundle leaves them out.

/** First words of the full CLI's commands that the workstation program does not have. */
const FULL_CLI_ONLY = new Set([
  'quickstart',
  'server',
  'health',
  'nodes',
  'node',
  'plugins',
  'plugin',
  'exec',
  'jobs',
  'job',
  'token',
]);

export const WORKSTATION: CliFlavor = {
  label: 'OpenClaw Node workstation',
  commands: [
    AgentInitCommand,
    AgentStartCommand,
    AgentDoctorCommand,
    AgentLogsCommand,
    AgentInstallCommand,
    AgentUninstallCommand,
    AgentStatusCommand,
    AgentServiceStartCommand,
    AgentServiceStopCommand,
    Builtins.HelpCommand,
    Builtins.VersionCommand,
  ],
  missing: (argv) =>
    argv[0] !== undefined && FULL_CLI_ONLY.has(argv[0])
      ? `openclaw ${argv[0]} is not part of the workstation package (@openclaw-node/workstation), which only runs the agent: use the full command line, @openclaw-node/cli, on a server or a TD's machine. Here: openclaw agent init | start | doctor | logs | install | uninstall | status | service-start | service-stop.`
      : undefined,
};

/**
 * Run the workstation's `openclaw` (the agent commands only) and return the exit code.
 * @example process.exitCode = await runWorkstationCli(process.argv.slice(2));
 */
export function runWorkstationCli(
  argv: readonly string[],
  context: Partial<OpenClawContext> = {},
): Promise<number> {
  return runCliOf(WORKSTATION, argv, context);
}
