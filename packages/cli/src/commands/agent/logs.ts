import { stat } from 'node:fs/promises';
import { Command, Option, UsageError } from '../../clipanion.js';
import { waitForShutdown } from '../../shutdown.js';
import { EXIT_CODES, OpenClawCommand } from '../openclaw-command.js';

/** `openclaw agent logs`: the agent's log, readable, and followed across rotations with -f. */
export class AgentLogsCommand extends OpenClawCommand {
  static override paths = [['agent', 'logs']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: "Show the agent's log",
    details: `
      Prints the last lines of the agent's log file (\`$XDG_STATE_HOME/openclaw-node/logs/agent.log\` on Linux, \`~/Library/Logs/openclaw-node/agent.log\` on macOS, \`%LOCALAPPDATA%\\openclaw-node\\logs\\agent.log\` on Windows) as readable lines, or as the JSON the agent wrote with \`--json\`.

      \`-f\` keeps printing new lines as the agent writes them, across rotations, until Ctrl+C. \`--level warn\` shows only warnings and worse.
    `,
    examples: [
      ['The last 50 lines', '$0 agent logs'],
      ['Follow the log', '$0 agent logs -f'],
      ['The last 200 warnings and errors as JSON', '$0 agent logs -n 200 --level warn --json'],
    ],
  });

  follow = Option.Boolean('--follow,-f', false, { description: 'Keep printing new lines until Ctrl+C' });
  lines = Option.String('--lines,-n', { description: 'How many lines to print first (default 50)' });
  json = Option.Boolean('--json', false, { description: 'Print the JSON lines as written' });
  level = Option.String('--level', {
    description: 'Only this level and worse: trace, debug, info, warn, error, fatal',
  });
  file = Option.String('--file', { description: 'The log file (default: the per-OS agent.log)' });

  async run(): Promise<number> {
    const { defaultLogFile, followLog, formatLogLine, levelNumber, parseLogRecord, readLastLogLines } =
      await import('@openclaw-node/agent');
    const count = this.lines === undefined ? 50 : Number(this.lines);
    if (!Number.isInteger(count) || count < 0) {
      throw new UsageError(`--lines must be a whole number of lines, got "${this.lines}"`);
    }
    const threshold = this.level === undefined ? undefined : levelNumber(this.level);
    if (this.level !== undefined && threshold === undefined) {
      throw new UsageError(`--level must be trace, debug, info, warn, error or fatal, got "${this.level}"`);
    }
    const file = this.file ?? defaultLogFile(process.platform, this.context.env);
    const colors = this.context.colorDepth > 1;
    const keep = (line: string): boolean => {
      if (threshold === undefined) return true;
      const level = parseLogRecord(line)?.level;
      return typeof level !== 'number' || level >= threshold;
    };
    const print = (line: string) => this.out(this.json ? line : formatLogLine(line, { colors, date: true }));

    // Printed up to this size, followed from it: nothing written in between is lost or shown twice.
    const size = await stat(file).then(
      (info) => info.size,
      () => undefined,
    );
    if (size === undefined && !this.follow) {
      this.context.stderr.write(
        `No log at ${file} yet: the agent writes it once it starts (\`openclaw agent start\`, or the service).\n`,
      );
      return EXIT_CODES.failed;
    }
    const tail = await readLastLogLines(file, {
      count,
      filter: keep,
      ...(size !== undefined ? { end: size } : {}),
    });
    for (const line of tail) print(line);
    if (!this.follow) return EXIT_CODES.ok;

    const stop = new AbortController();
    const shutdown = waitForShutdown(this.context);
    void shutdown.done.then(() => stop.abort());
    try {
      for await (const line of followLog(file, { signal: stop.signal, from: size ?? 'start' }))
        if (keep(line)) print(line);
    } finally {
      shutdown.dispose();
    }
    return EXIT_CODES.ok;
  }
}
