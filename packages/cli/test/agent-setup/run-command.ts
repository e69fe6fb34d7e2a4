import { Readable } from 'node:stream';
import { Cli } from '../../src/clipanion.js';
import { AgentDoctorCommand } from '../../src/commands/agent/doctor.js';
import { AgentInitCommand } from '../../src/commands/agent/init.js';
import { AgentLogsCommand } from '../../src/commands/agent/logs.js';
import type { OpenClawContext } from '../../src/context.js';
import { memoryStream, type CliRun } from '@openclaw-node/test-support/cli';

/**
 * Run `openclaw agent init|doctor|logs` in memory. The commands are registered here rather than through
 * createCli(), so these tests do not depend on the order of the CLI's registration list.
 */
export function runAgentCommand(
  argv: string[],
  env: Record<string, string | undefined> = {},
  shutdown?: AbortSignal,
): { result: Promise<CliRun>; stdout: () => string } {
  const cli = new Cli<OpenClawContext>({ binaryName: 'openclaw', enableColors: false });
  for (const command of [AgentInitCommand, AgentDoctorCommand, AgentLogsCommand]) cli.register(command);
  const out = memoryStream();
  const err = memoryStream();
  const result = cli
    .run(argv, {
      ...Cli.defaultContext,
      stdin: Readable.from([]),
      stdout: out.stream,
      stderr: err.stream,
      env,
      colorDepth: 1,
      ...(shutdown ? { shutdown } : {}),
    })
    .then((code) => ({ code, stdout: out.text(), stderr: err.text() }));
  return { result, stdout: out.text };
}
