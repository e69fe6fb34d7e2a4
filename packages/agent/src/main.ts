import { parseArgs } from 'node:util';
import { isOpenClawError, OPENCLAW_VERSION } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import type { Logger } from 'pino';
import { createAgent, type AgentStopReason } from './agent.js';
import { defaultConfigPath } from './config/default-path.js';
import { loadAgentConfig } from './config/load-config.js';
import { createAgentLog } from './logging/agent-log.js';
import { SERVICE_EXIT_CODES as EXIT, supervisedExitCode } from './service/exit-codes.js';

// Why the agent gave up → exit code; the service definitions do not restart after 2, 3 or 4.
const EXIT_FOR_CODE: Record<string, number> = {
  AUTH_REQUIRED: EXIT.AUTH_REJECTED,
  AUTH_INVALID: EXIT.AUTH_REJECTED,
  FORBIDDEN: EXIT.AUTH_REJECTED,
  NODE_REPLACED: EXIT.NODE_REPLACED,
  INVALID_BODY: EXIT.CONFIG_INVALID,
  MANIFEST_INVALID: EXIT.CONFIG_INVALID,
  SCHEMA_LIMIT_EXCEEDED: EXIT.CONFIG_INVALID,
  PROTOCOL_UNSUPPORTED: EXIT.CONFIG_INVALID,
};

export interface AgentMainIo {
  /** Readable log lines when it is a terminal. */
  stdout: NodeJS.WritableStream;
  /** Error messages, and the JSON log lines when stdout is not a terminal. */
  stderr: NodeJS.WritableStream;
  /** The rotating log file used without --log-file (the bin passes the per-OS one); none when unset. */
  defaultLogFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Aborting it stops the agent cleanly; without it, SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  /** Plugins by name instead of the built-ins (tests, embedding). */
  registry?: Record<string, PluginDefinition>;
}

function usage(env: NodeJS.ProcessEnv, defaultLogFile: string | undefined): string {
  return `Usage: openclaw-agent [--config <file>]

Run the OpenClaw Node agent on this workstation: connect to the server named in
node_config.yaml, advertise the configured plugins and run the actions the server sends.

Options:
  -c, --config <file>  node_config.yaml to use. Without it the agent looks for
                       node_config.yaml (or .yml) in the current directory, then in
                       ${defaultConfigPath(process.platform, env)}
  --log-file <file>    Write the log (JSON lines, rotated at 10 MiB, 5 kept) there
                       instead of ${defaultLogFile ?? 'nowhere'}
  --no-log-file        Write no log file: log to the terminal only
  -h, --help           Show this help
  -v, --version        Print the version

Environment:
  OPENCLAW_LOG_LEVEL   fatal, error, warn, info (default), debug or trace
  Any \${VAR} or \${VAR:-default} in node_config.yaml is read from the environment.

Exit codes (a service manager restarts the agent after 1, never after 2, 3 or 4):
  0  stopped by SIGINT or SIGTERM
  1  failed unexpectedly
  2  bad arguments, an invalid node_config.yaml, or the server refused the node id,
     a plugin manifest or the protocol version
  3  the server rejected the token (check auth_token)
  4  another agent connected with the same node_id and replaced this one

Example:
  openclaw-agent --config /etc/openclaw-node/node_config.yaml
`;
}

/**
 * The `openclaw-agent` program (also `openclaw agent start`): returns the exit code, never exits.
 * Under launchd a "do not restart" code becomes 0 (see supervisedExitCode).
 * @example process.exitCode = await runAgentMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
 */
export async function runAgentMain(argv: readonly string[], io: AgentMainIo): Promise<number> {
  return supervisedExitCode(await runAgent(argv, io), io.env ?? process.env);
}

async function runAgent(argv: readonly string[], io: AgentMainIo): Promise<number> {
  const env = io.env ?? process.env;
  const fail = (message: string, code: number): number => {
    io.stderr.write(`openclaw-agent: ${message}\n`);
    return code;
  };
  let values: {
    config?: string | undefined;
    help?: boolean | undefined;
    version?: boolean | undefined;
    'log-file'?: string | undefined;
    'no-log-file'?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        'log-file': { type: 'string' },
        'no-log-file': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\nRun openclaw-agent --help for usage.`, EXIT.CONFIG_INVALID);
  }
  if (values.help) {
    io.stdout.write(usage(env, io.defaultLogFile));
    return EXIT.OK;
  }
  if (values.version) {
    io.stdout.write(`${OPENCLAW_VERSION}\n`);
    return EXIT.OK;
  }

  const logFile = values['no-log-file'] ? null : (values['log-file'] ?? io.defaultLogFile ?? null);
  const log = createAgentLog({ env, file: logFile, stdout: io.stdout, stderr: io.stderr });
  try {
    return await runWithLogger(log.logger, values.config, io, fail);
  } finally {
    await log.close();
  }
}

async function runWithLogger(
  logger: Logger,
  configPath: string | undefined,
  io: AgentMainIo,
  fail: (message: string, code: number) => number,
): Promise<number> {
  const env = io.env ?? process.env;
  let agent;
  try {
    const { config, filepath } = await loadAgentConfig({
      ...(configPath !== undefined ? { configPath } : {}),
      env,
      ...(io.cwd !== undefined ? { cwd: io.cwd } : {}),
      onWarning: (message) => logger.warn(message),
    });
    logger.info({ config: filepath, nodeId: config.node_id }, 'configuration loaded');
    agent = createAgent({ config, logger, ...(io.registry ? { registry: io.registry } : {}) });
  } catch (error) {
    if (isOpenClawError(error)) return fail(error.message, EXIT.CONFIG_INVALID);
    return fail(`the agent could not start: ${(error as Error).message}`, EXIT.FAILURE);
  }

  const stopRequested = io.signal ?? processSignals();
  agent.start();
  const outcome = await Promise.race([
    agent.stopped,
    new Promise<'signal'>((resolve) => {
      if (stopRequested.aborted) resolve('signal');
      else stopRequested.addEventListener('abort', () => resolve('signal'), { once: true });
    }),
  ]);
  if (outcome === 'signal') {
    await agent.stop();
    return EXIT.OK;
  }
  return exitCodeFor(outcome, fail);
}

function exitCodeFor(outcome: AgentStopReason, fail: (message: string, code: number) => number): number {
  if (outcome.code === null) return EXIT.OK;
  return fail(`${outcome.message} [${outcome.code}]`, EXIT_FOR_CODE[outcome.code] ?? EXIT.FAILURE);
}

function processSignals(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
