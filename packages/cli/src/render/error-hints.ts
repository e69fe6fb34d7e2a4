import type { OpenClawError } from '@openclaw-node/core';

/**
 * What to do next after an error from the server, for people: which flag or variable supplies the
 * token, which command lists the nodes. Empty when the code needs no hint.
 */
export function errorHint(error: OpenClawError): string | undefined {
  switch (error.code) {
    case 'AUTH_REQUIRED':
      return 'pass the API token with --token <token>, or set OPENCLAW_TOKEN (better: flags show up in ps)';
    case 'AUTH_INVALID':
      return 'the token given by --token or OPENCLAW_TOKEN is not one this server accepts';
    case 'NODE_NOT_FOUND':
      return '`openclaw nodes` lists the connected nodes; `--queue` keeps a job for a node that is not connected';
    default:
      return undefined;
  }
}
