import { isOpenClawError } from '@openclaw-node/core';
import { describeTlsFailure, loadTrustedCa } from '../connection/tls-trust.js';

/** The CAs a probe trusts, as the agent's own connection does: the system's plus those of `ca:`. */
export type ProbeTrust = { ok: true; ca: string[] | undefined } | { ok: false; message: string };

/** Load the `ca:` file for a probe; a file that cannot be used is a message, never a throw. */
export function loadProbeTrust(caFile: string | undefined): ProbeTrust {
  try {
    return { ok: true, ca: loadTrustedCa(caFile) };
  } catch (error) {
    if (isOpenClawError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

/** `the server's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN): …`, or undefined for other errors. */
export function tlsProblem(error: unknown, caFile: string | undefined): string | undefined {
  const tls = describeTlsFailure(error, caFile, { retrying: false });
  return tls ? `${tls.message} (${tls.reason})` : undefined;
}
