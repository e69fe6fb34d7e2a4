import { defaultLogFile, runAgentMain } from '@openclaw-node/agent';
import { runWorkstationCli } from '@openclaw-node/cli/workstation';

/**
 * The workstation's `openclaw` (agent commands only) with `argv`, without node and the script;
 * resolves to the exit code. Streams and environment are the process's.
 * @example process.exitCode = await runOpenclaw(['agent', 'doctor']);
 */
export function runOpenclaw(argv: readonly string[]): Promise<number> {
  return runWorkstationCli(argv);
}

/**
 * `openclaw-agent` with `argv`; resolves to the exit code (see `openclaw-agent --help`).
 * @example process.exitCode = await runOpenclawAgent(['--config', '/etc/openclaw-node/node_config.yaml']);
 */
export function runOpenclawAgent(argv: readonly string[]): Promise<number> {
  return runAgentMain(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    defaultLogFile: defaultLogFile(),
  });
}
