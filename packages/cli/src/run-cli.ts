import { OPENCLAW_VERSION } from '@openclaw-node/core';
import { Cli, type Command } from './clipanion.js';
import { EXIT_CODES } from './commands/openclaw-command.js';
import type { OpenClawContext } from './context.js';
import { commandShapes, explainUsage } from './render/usage-error.js';

/** A command class as clipanion registers it. */
export type CommandClass = new () => Command<OpenClawContext>;

/** What makes one `openclaw` program: its label in the help and its commands. */
export interface CliFlavor {
  label: string;
  commands: readonly CommandClass[];
  /**
   * Said instead of clipanion's "command not found" when the first word is one this program
   * leaves out (the workstation package has no `server`, `exec`, …).
   */
  missing?: (argv: readonly string[]) => string | undefined;
}

/** An `openclaw` command line with the flavor's commands registered; `colors` defaults to clipanion's guess. */
export function createCliOf(flavor: CliFlavor, options: { colors?: boolean } = {}): Cli<OpenClawContext> {
  const cli = new Cli<OpenClawContext>({
    binaryLabel: flavor.label,
    binaryName: 'openclaw',
    binaryVersion: OPENCLAW_VERSION,
    ...(options.colors === undefined ? {} : { enableColors: options.colors }),
  });
  for (const command of flavor.commands) cli.register(command);
  return cli;
}

/**
 * Run an `openclaw` program with `argv` (without node and the script) and return the exit code:
 * 0 on success, 1 on failure, 2 on a usage mistake. Streams and env default to the process's.
 */
export async function runCliOf(
  flavor: CliFlavor,
  argv: readonly string[],
  context: Partial<OpenClawContext> = {},
): Promise<number> {
  const full: OpenClawContext = {
    ...Cli.defaultContext,
    colorDepth: colorDepthOf(context.stdout ?? process.stdout),
    ...context,
  };
  const colored = full.colorDepth > 1;
  const cli = createCliOf(flavor, { colors: colored });
  if (argv.length === 0) {
    full.stdout.write(cli.usage(null, { colored }));
    return EXIT_CODES.usage;
  }
  let command;
  try {
    command = cli.process([...argv], full);
  } catch (error) {
    // clipanion answers a typo with every command it has; name the nearest command or option instead.
    const missing = flavor.missing?.(argv);
    full.stderr.write(
      missing
        ? `${missing}\n`
        : (explainUsage(argv, commandShapes(cli.definitions())) ?? cli.error(error, { colored })),
    );
    return EXIT_CODES.usage;
  }
  return cli.run(command, full);
}

/** Colours only on a terminal (clipanion's default would colour pipes and files too). */
function colorDepthOf(stream: NodeJS.WritableStream): number {
  const tty = stream as NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: () => number };
  return tty.isTTY === true && typeof tty.getColorDepth === 'function' ? tty.getColorDepth() : 1;
}
