import { OpenClawError, type ErrorBody } from '@openclaw-node/core';

/**
 * An error answer from the server: code, message and details as sent, plus the HTTP status and the
 * whole body (with `command_id` when a job was started).
 */
export class OpenClawApiError extends OpenClawError {
  /** The HTTP status the server answered with. */
  readonly httpStatus: number;
  readonly body: ErrorBody;
  readonly commandId: string | undefined;

  constructor(httpStatus: number, body: ErrorBody) {
    super(body.error.code, body.error.message, body.error.details ? { details: body.error.details } : {});
    this.name = 'OpenClawApiError';
    this.httpStatus = httpStatus;
    this.body = body;
    this.commandId = body.command_id;
  }
}

/** True for a REST error body `{ status, error: { code, message } }`. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { status?: unknown; error?: { code?: unknown; message?: unknown } };
  return (
    (v.status === 'error' || v.status === 'timeout') &&
    typeof v.error === 'object' &&
    v.error !== null &&
    typeof v.error.code === 'string' &&
    typeof v.error.message === 'string'
  );
}
