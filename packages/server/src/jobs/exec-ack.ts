import {
  OpenClawError,
  isErrorPayload,
  isKnownErrorCode,
  isValidErrorCode,
  statusForCode,
} from '@openclaw-node/core';

const MAX_MESSAGE = 2000;
const MAX_DETAILS_BYTES = 64 * 1024;

/**
 * Codes outside the plugin range (422) that an agent may answer an exec with as they are: its own
 * checks (params, allowed_paths, plugin and action lookup, platform), the job's end (cancelled, timed
 * out, queue full) and the plugin codes that mean "unavailable" (docs/errors.md, "Agent codes").
 */
export const AGENT_SIDE_CODES: ReadonlySet<string> = new Set([
  'INVALID_PARAMS',
  'PATH_NOT_ALLOWED',
  'PLUGIN_NOT_FOUND',
  'ACTION_NOT_FOUND',
  'PLATFORM_UNSUPPORTED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_BUSY',
  'SG_UNAVAILABLE',
  'LICENSE_UNAVAILABLE',
]);

/**
 * The error a REST caller sees for an agent's error code: a plugin's own code, a table code in the
 * plugin range (422) or an agent-side code as sent; any other (AUTH_INVALID, RATE_LIMITED,
 * INTERNAL_ERROR…) would make the server speak for itself, so it becomes ACTION_FAILED (422) with
 * the agent's code in `details.agent_code`.
 */
function agentError(
  code: string,
  message: string,
  details: Record<string, unknown> | undefined,
): OpenClawError {
  if (!isKnownErrorCode(code) || statusForCode(code) === 422 || AGENT_SIDE_CODES.has(code)) {
    return new OpenClawError(code, message, details ? { details } : {});
  }
  return new OpenClawError('ACTION_FAILED', message, { details: { ...details, agent_code: code } });
}

export type AckOutcome = { ok: true; result: unknown } | { ok: false; error: OpenClawError };

/**
 * Read an agent's `exec` ack without trusting its shape. A missing `result` is null (JSON drops
 * `undefined`); anything that is not a valid ack is NODE_PROTOCOL_ERROR.
 */
export function readExecAck(ack: unknown, nodeId: string): AckOutcome {
  if (typeof ack === 'object' && ack !== null && !Array.isArray(ack)) {
    const value = ack as Record<string, unknown>;
    if (value.ok === true) return { ok: true, result: value.result ?? null };
    if (value.ok === false && isErrorPayload(value.error) && isValidErrorCode(value.error.code)) {
      const { code, message, details } = value.error;
      const keepDetails = details !== undefined && JSON.stringify(details).length <= MAX_DETAILS_BYTES;
      return {
        ok: false,
        error: agentError(
          code,
          message.slice(0, MAX_MESSAGE),
          keepDetails && typeof details === 'object' && details !== null && !Array.isArray(details)
            ? details
            : undefined,
        ),
      };
    }
  }
  return {
    ok: false,
    error: new OpenClawError('NODE_PROTOCOL_ERROR', `Node "${nodeId}" answered exec with a malformed ack`),
  };
}
