import { OpenClawError, isErrorPayload, isValidErrorCode } from '@openclaw-node/core';

const MAX_MESSAGE = 2000;
const MAX_DETAILS_BYTES = 64 * 1024;

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
        error: new OpenClawError(code, message.slice(0, MAX_MESSAGE), keepDetails ? { details } : {}),
      };
    }
  }
  return {
    ok: false,
    error: new OpenClawError('NODE_PROTOCOL_ERROR', `Node "${nodeId}" answered exec with a malformed ack`),
  };
}
