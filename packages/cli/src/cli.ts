import { Builtins, type Cli } from './clipanion.js';
import { AgentDoctorCommand } from './commands/agent/doctor.js';
import { AgentInitCommand } from './commands/agent/init.js';
import { AgentInstallCommand } from './commands/agent/install.js';
import { AgentLogsCommand } from './commands/agent/logs.js';
import { AgentServiceStartCommand } from './commands/agent/service-start.js';
import { AgentServiceStopCommand } from './commands/agent/service-stop.js';
import { AgentStartCommand } from './commands/agent/start.js';
import { AgentStatusCommand } from './commands/agent/status.js';
import { AgentUninstallCommand } from './commands/agent/uninstall.js';
import { ExecCommand } from './commands/exec.js';
import { JobCancelCommand } from './commands/job/cancel.js';
import { JobShowCommand } from './commands/job/show.js';
import { JobsCommand } from './commands/jobs.js';
import { HealthCommand } from './commands/health.js';
import { NodeCommand } from './commands/node.js';
import { NodesCommand } from './commands/nodes.js';
import { PluginValidateCommand } from './commands/plugin/validate.js';
import { PluginsCommand } from './commands/plugins.js';
import { QuickstartCommand } from './commands/quickstart.js';
import { ServerStartCommand } from './commands/server/start.js';
import { TokenCreateCommand } from './commands/token/create.js';
import { TokenHashCommand } from './commands/token/hash.js';
import type { OpenClawContext } from './context.js';
import { createCliOf, runCliOf, type CliFlavor } from './run-cli.js';

const FULL: CliFlavor = {
  label: 'OpenClaw Node',
  commands: [
    QuickstartCommand,
    ServerStartCommand,
    AgentInitCommand,
    AgentStartCommand,
    AgentDoctorCommand,
    AgentLogsCommand,
    AgentInstallCommand,
    AgentUninstallCommand,
    AgentStatusCommand,
    AgentServiceStartCommand,
    AgentServiceStopCommand,
    HealthCommand,
    NodesCommand,
    NodeCommand,
    PluginsCommand,
    PluginValidateCommand,
    ExecCommand,
    JobsCommand,
    JobShowCommand,
    JobCancelCommand,
    TokenCreateCommand,
    TokenHashCommand,
    Builtins.HelpCommand,
    Builtins.VersionCommand,
  ],
};

/** The `openclaw` command line with every command registered; `colors` defaults to clipanion's guess. */
export function createCli(options: { colors?: boolean } = {}): Cli<OpenClawContext> {
  return createCliOf(FULL, options);
}

/**
 * Run `openclaw` with `argv` (without node and the script) and return the exit code: 0 on success,
 * 1 on failure, 2 on a usage mistake. Streams and env default to the process's.
 * @example const code = await runCli(['nodes', '--json'], { stdout, stderr, env: { OPENCLAW_TOKEN: token } });
 */
export async function runCli(
  argv: readonly string[],
  context: Partial<OpenClawContext> = {},
): Promise<number> {
  return runCliOf(FULL, argv, context);
}
