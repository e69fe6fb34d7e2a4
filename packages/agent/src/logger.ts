import { destination as pinoDestination, pino, type Logger } from 'pino';

export interface AgentLoggerOptions {
  env?: NodeJS.ProcessEnv;
  /** Defaults to stderr, so stdout stays free for tools that wrap the agent. */
  destination?: NodeJS.WritableStream;
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Paths pino censors wherever a token could end up in a log line. */
export const REDACTED_PATHS = [
  'token',
  'auth_token',
  'authToken',
  'auth.token',
  'config.auth_token',
  '*.token',
  '*.auth_token',
  'headers.authorization',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
];

/** The agent's pino logger: JSON lines on stderr, level from OPENCLAW_LOG_LEVEL (default info). */
export function createAgentLogger(options: AgentLoggerOptions = {}): Logger {
  const requested = (options.env ?? process.env).OPENCLAW_LOG_LEVEL?.trim().toLowerCase();
  const level = requested && LEVELS.has(requested) ? requested : 'info';
  const logger = pino(
    { name: 'openclaw-agent', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    options.destination ?? pinoDestination({ dest: 2, sync: true }),
  );
  if (requested && level !== requested) {
    logger.warn({ requested, allowed: [...LEVELS] }, 'OPENCLAW_LOG_LEVEL is not a log level; using info');
  }
  return logger;
}
