import { OPENCLAW_VERSION } from '@openclaw-node/core';
import { Builtins, Cli } from './clipanion.js';
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
import { EXIT_CODES } from './commands/openclaw-command.js';
import { PluginValidateCommand } from './commands/plugin/validate.js';
import { PluginsCommand } from './commands/plugins.js';
import { QuickstartCommand } from './commands/quickstart.js';
import { ServerStartCommand } from './commands/server/start.js';
import { TokenCreateCommand } from './commands/token/create.js';
import { TokenHashCommand } from './commands/token/hash.js';
import type { OpenClawContext } from './context.js';
import { commandShapes, explainUsage } from './render/usage-error.js';

/** The `openclaw` command line with every command registered; `colors` defaults to clipanion's guess. */
export function createCli(options: { colors?: boolean } = {}): Cli<OpenClawContext> {
  const cli = new Cli<OpenClawContext>({
    binaryLabel: 'OpenClaw Node',
    binaryName: 'openclaw',
    binaryVersion: OPENCLAW_VERSION,
    ...(options.colors === undefined ? {} : { enableColors: options.colors }),
  });
  for (const command of [
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
  ]) {
    cli.register(command);
  }
  return cli;
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
  const full: OpenClawContext = {
    ...Cli.defaultContext,
    colorDepth: colorDepthOf(context.stdout ?? process.stdout),
    ...context,
  };
  const colored = full.colorDepth > 1;
  const cli = createCli({ colors: colored });
  if (argv.length === 0) {
    full.stdout.write(cli.usage(null, { colored }));
    return EXIT_CODES.usage;
  }
  let command;
  try {
    command = cli.process([...argv], full);
  } catch (error) {
    // clipanion answers a typo with every command it has; name the nearest command or option instead.
    full.stderr.write(explainUsage(argv, commandShapes(cli.definitions())) ?? cli.error(error, { colored }));
    return EXIT_CODES.usage;
  }
  return cli.run(command, full);
}

/** Colours only on a terminal (clipanion's default would colour pipes and files too). */
function colorDepthOf(stream: NodeJS.WritableStream): number {
  const tty = stream as NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: () => number };
  return tty.isTTY === true && typeof tty.getColorDepth === 'function' ? tty.getColorDepth() : 1;
}
