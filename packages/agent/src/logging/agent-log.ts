import type { Logger } from 'pino';
import { createAgentLogger } from '../logger.js';
import {
  createAgentLogDestination,
  type AgentLogDestination,
  type AgentLogDestinationOptions,
} from './log-destination.js';

export interface AgentLogOptions extends AgentLogDestinationOptions {
  /** OPENCLAW_LOG_LEVEL is read from here. */
  env?: NodeJS.ProcessEnv;
}

/** The agent's logger with its destinations, and how to flush them at exit. */
export interface AgentLog {
  logger: Logger;
  destination: AgentLogDestination;
  close(): Promise<void>;
}

/**
 * The agent's pino logger (level from OPENCLAW_LOG_LEVEL, tokens redacted) writing to the rotating log
 * file and the console, as createAgentLogDestination chooses.
 * @example const { logger, close } = createAgentLog({ file: defaultLogFile(), stdout: process.stdout, stderr: process.stderr });
 */
export function createAgentLog(options: AgentLogOptions): AgentLog {
  const destination = createAgentLogDestination(options);
  const logger = createAgentLogger({
    ...(options.env ? { env: options.env } : {}),
    destination: destination.stream,
  });
  return { logger, destination, close: () => destination.close() };
}
