import { Command, UsageError } from '../clipanion.js';
import type { OpenClawContext } from '../context.js';
import { formatError } from '../render/error.js';
import { terminalText } from '../render/terminal-text.js';

/** Exit codes of the `openclaw` command. */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Base of every command: `run()` returns the exit code; errors become `CODE: message` on stderr
 * (usage mistakes as clipanion's usage error), never a stack trace.
 */
export abstract class OpenClawCommand extends Command<OpenClawContext> {
  abstract run(): Promise<number>;

  override async execute(): Promise<number> {
    try {
      return await this.run();
    } catch (error) {
      if (error instanceof UsageError) {
        this.context.stderr.write(this.cli.error(error, { command: this }));
        return EXIT_CODES.usage;
      }
      this.context.stderr.write(terminalText(formatError(error)));
      return EXIT_CODES.failed;
    }
  }

  /** Write output for people: control characters that came with the data are shown, never sent. */
  protected out(text: string): void {
    const safe = terminalText(text);
    this.context.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
  }
}
