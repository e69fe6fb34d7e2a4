import { parseArgs } from 'node:util';
import { isOpenClawError, OPENCLAW_VERSION } from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { createAgent, type AgentStopReason } from './agent.js';
import { defaultConfigPath } from './config/default-path.js';
import { loadAgentConfig } from './config/load-config.js';
import { createAgentLogger } from './logger.js';

/** Exit codes of `openclaw-agent`; 3 means "do not restart me" (a service manager should not loop). */
export const AGENT_EXIT_CODES = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

export interface AgentMainIo {
  stdout: NodeJS.WritableStream;
  /** Logs (JSON lines) and error messages. */
  stderr: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Aborting it stops the agent cleanly; without it, SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  /** Plugins by name instead of the built-ins (tests, embedding). */
  registry?: Record<string, PluginDefinition>;
}

function usage(env: NodeJS.ProcessEnv): string {
  return `Usage: openclaw-agent [--config <file>]

Run the OpenClaw Node agent on this workstation: connect to the server named in
node_config.yaml, advertise the configured plugins and run the actions the server sends.

Options:
  -c, --config <file>  node_config.yaml to use. Without it the agent looks for
                       node_config.yaml (or .yml) in the current directory, then in
                       ${defaultConfigPath(process.platform, env)}
  -h, --help           Show this help
  -v, --version        Print the version

Environment:
  OPENCLAW_LOG_LEVEL   fatal, error, warn, info (default), debug or trace
  Any \${VAR} or \${VAR:-default} in node_config.yaml is read from the environment.

Exit codes:
  0  stopped by SIGINT or SIGTERM
  1  the config is invalid or the agent failed
  2  bad command-line arguments
  3  the server refused this agent for good (bad token, node id taken over by another
     agent, invalid plugin manifest): restarting will not help until the cause is fixed

Example:
  openclaw-agent --config /etc/openclaw-node/node_config.yaml
`;
}

/**
 * The `openclaw-agent` program (also `openclaw agent start`): returns the exit code, never exits.
 * @example process.exitCode = await runAgentMain(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
 */
export async function runAgentMain(argv: readonly string[], io: AgentMainIo): Promise<number> {
  const env = io.env ?? process.env;
  const fail = (message: string, code: number): number => {
    io.stderr.write(`openclaw-agent: ${message}\n`);
    return code;
  };
  let values: { config?: string | undefined; help?: boolean | undefined; version?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\nRun openclaw-agent --help for usage.`, AGENT_EXIT_CODES.usage);
  }
  if (values.help) {
    io.stdout.write(usage(env));
    return AGENT_EXIT_CODES.ok;
  }
  if (values.version) {
    io.stdout.write(`${OPENCLAW_VERSION}\n`);
    return AGENT_EXIT_CODES.ok;
  }

  const logger = createAgentLogger({ env, destination: io.stderr });
  let agent;
  try {
    const { config, filepath } = await loadAgentConfig({
      ...(values.config !== undefined ? { configPath: values.config } : {}),
      env,
      ...(io.cwd !== undefined ? { cwd: io.cwd } : {}),
      onWarning: (message) => logger.warn(message),
    });
    logger.info({ config: filepath, nodeId: config.node_id }, 'configuration loaded');
    agent = createAgent({ config, logger, ...(io.registry ? { registry: io.registry } : {}) });
  } catch (error) {
    return fail(isOpenClawError(error) ? error.message : String(error), AGENT_EXIT_CODES.failed);
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
    return AGENT_EXIT_CODES.ok;
  }
  return exitCodeFor(outcome, fail);
}

function exitCodeFor(outcome: AgentStopReason, fail: (message: string, code: number) => number): number {
  if (outcome.code === null) return AGENT_EXIT_CODES.ok;
  const refused = outcome.code !== 'INTERNAL_ERROR';
  return fail(
    `${outcome.message} [${outcome.code}]`,
    refused ? AGENT_EXIT_CODES.refused : AGENT_EXIT_CODES.failed,
  );
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
