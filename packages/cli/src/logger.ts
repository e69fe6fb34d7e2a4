import { UsageError } from './clipanion.js';
import type { Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A pino logger on stderr: level from --log-level, else OPENCLAW_LOG_LEVEL, else `fallback`. */
export async function createCliLogger(options: {
  level?: string | undefined;
  env: Record<string, string | undefined>;
  fallback: string;
  name: string;
}): Promise<Logger> {
  const level = (options.level ?? options.env.OPENCLAW_LOG_LEVEL ?? options.fallback).trim().toLowerCase();
  if (!LEVELS.includes(level)) {
    throw new UsageError(
      `The log level must be one of ${LEVELS.join(', ')}; got "${level}" (--log-level or OPENCLAW_LOG_LEVEL)`,
    );
  }
  const { default: pino } = await import('pino');
  return pino(
    {
      name: options.name,
      level,
      redact: {
        paths: ['token', 'auth_token', '*.token', '*.auth_token', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
