import { isOpenClawError, OpenClawError } from '@openclaw-node/core';

/**
 * A listen error made into what a person can act on: a busy port (PORT_IN_USE) names the command
 * line that picks the next port — `npm start -- --port 8766` when npm started us, since npm keeps
 * flags after `--` only. Other errors are returned as they are.
 */
export function explainListenError(
  error: unknown,
  options: { port: number; command: string; env: Record<string, string | undefined> },
): unknown {
  if (!isOpenClawError(error) || error.code !== 'PORT_IN_USE') return error;
  const next = options.port === 0 || options.port >= 65535 ? 8766 : options.port + 1;
  const retry =
    options.env.npm_lifecycle_event === 'start'
      ? `npm start -- --port ${next}`
      : `openclaw ${options.command} --port ${next}`;
  return new OpenClawError(
    'PORT_IN_USE',
    `${error.message}: another program already uses port ${options.port}; stop it, or try: ${retry}`,
    { ...(error.details ? { details: error.details } : {}), cause: error },
  );
}
