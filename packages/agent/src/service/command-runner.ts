import { execa } from 'execa';
import type { CommandResult, CommandRunner } from './service-plan.js';

const COMMAND_TIMEOUT_MS = 60_000;

/**
 * A runner for one argv array with execa (never a shell) that captures its output; `env` is laid
 * over the process environment. A program that cannot be started reports exit code 127 and one
 * that times out 124, as a POSIX shell would.
 */
export function createServiceCommandRunner(env?: NodeJS.ProcessEnv): CommandRunner {
  return async (argv): Promise<CommandResult> => {
    const [file, ...args] = argv;
    if (file === undefined) throw new TypeError('a service command needs a non-empty argv');
    const result = await execa(file, args, {
      ...(env ? { env } : {}),
      reject: false,
      stdin: 'ignore',
      timeout: COMMAND_TIMEOUT_MS,
      windowsHide: true,
      encoding: 'utf8',
      stripFinalNewline: false,
    });
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.timedOut) return { exitCode: 124, stdout, stderr: `${stderr}${file}: timed out\n` };
    if (result.exitCode === undefined) {
      const reason =
        result.code === 'ENOENT' ? 'command not found' : (result.originalMessage ?? 'could not start');
      return { exitCode: 127, stdout, stderr: `${stderr}${file}: ${reason}\n` };
    }
    return { exitCode: result.exitCode, stdout, stderr };
  };
}

/** The default runner, in the process environment. */
export const runServiceCommand: CommandRunner = createServiceCommandRunner();
