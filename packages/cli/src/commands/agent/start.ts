import { Command, Option, UsageError } from '../../clipanion.js';
import { waitForShutdown } from '../../shutdown.js';
import { OpenClawCommand } from '../openclaw-command.js';

/** Exit code when the server refused the agent for good (bad token, node replaced): do not restart. */
const REFUSED_EXIT_CODE = 3;

/** `openclaw agent start`: run this workstation's agent until SIGINT/SIGTERM or the server refuses it. */
export class AgentStartCommand extends OpenClawCommand {
  static override paths = [['agent', 'start']];

  static override usage = Command.Usage({
    category: 'Agent',
    description: "Start this workstation's agent",
    details: `
      Reads node_config.yaml (\`--config\`, else ./node_config.yaml, else the per-user default), connects to \`server_url\`, advertises the configured plugins and runs the actions the server sends, reconnecting by itself.

      Log lines are readable on a terminal and JSON lines otherwise (\`--log-format json\` or \`pretty\` forces one); the log file always holds JSON lines.

      Stops with exit code 0 on SIGINT or SIGTERM. Exits 3 when the server refuses the agent for good (a bad token, or another agent took over the node id), printing why, and 1 when the config is invalid.
    `,
    examples: [
      ['Start with ./node_config.yaml', '$0 agent start'],
      ['Start with a given config', '$0 agent start --config /etc/openclaw-node/node_config.yaml'],
    ],
  });

  config = Option.String('--config,-c', { description: 'node_config.yaml to use' });
  logLevel = Option.String('--log-level', {
    description: 'fatal, error, warn, info, debug, trace or silent',
  });
  logFile = Option.String('--log-file', {
    description: 'rotating log file (default: the per-OS log folder)',
  });
  noLogFile = Option.Boolean('--no-log-file', false, { description: 'log to the terminal only' });
  logFormat = Option.String('--log-format', {
    description: 'auto (readable lines on a terminal, JSON lines otherwise), pretty or json',
  });

  async run(): Promise<number> {
    // Loaded here, not at the top: client commands (exec, jobs, nodes…) must not pay for the agent.
    const { createAgent, createAgentLog, defaultLogFile, loadAgentConfig, LOG_FORMATS } =
      await import('@openclaw-node/agent');
    const env = this.context.env;
    const format = LOG_FORMATS.find((f) => f === (this.logFormat ?? 'auto'));
    if (format === undefined) {
      throw new UsageError(
        `--log-format must be ${LOG_FORMATS.join(', ')}; got ${JSON.stringify(this.logFormat)}`,
      );
    }
    const log = createAgentLog({
      env: this.logLevel === undefined ? env : { ...env, OPENCLAW_LOG_LEVEL: this.logLevel },
      file: this.noLogFile ? null : (this.logFile ?? defaultLogFile(process.platform, env)),
      stdout: this.context.stdout,
      stderr: this.context.stderr,
      format,
    });
    const logger = log.logger;
    let loaded;
    try {
      // Config warnings (a misspelt key) are log lines like the rest, readable on a terminal.
      loaded = await loadAgentConfig({
        env,
        ...(this.config !== undefined ? { configPath: this.config } : {}),
        onWarning: (message) => logger.warn(message),
      });
    } catch (error) {
      await log.close();
      throw error;
    }
    const { config, filepath } = loaded;
    const agent = createAgent({ config, logger });
    const shutdown = waitForShutdown(this.context);
    this.out(
      `Agent ${config.node_id} connecting to ${config.server_url} (config: ${filepath ?? 'built-in defaults'})`,
    );
    agent.ready.then(
      () => this.out(`Agent ${config.node_id} registered with the server. Press Ctrl+C to stop.`),
      () => undefined,
    );
    agent.start();
    try {
      const outcome = await Promise.race([agent.stopped, shutdown.done.then((signal) => ({ signal }))]);
      if ('signal' in outcome) {
        await agent.stop();
        this.out(`Agent stopped (${outcome.signal}).`);
        return 0;
      }
      if (outcome.code === null) return 0;
      // A plain sentence last, after the log lines, so it is what the person at the terminal reads.
      this.context.stderr.write(
        `\nAgent ${config.node_id} stopped and will not reconnect: ${outcome.message}.\n(${outcome.code})\n`,
      );
      return outcome.code === 'INTERNAL_ERROR' ? 1 : REFUSED_EXIT_CODE;
    } finally {
      shutdown.dispose();
      await log.close();
    }
  }
}
