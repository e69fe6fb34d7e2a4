/**
 * The one table of error codes. A code is never renamed or reused; new codes are appended.
 * `status` is the HTTP status a REST caller sees; the same `{ code, message, details }` payload
 * travels in REST bodies, Socket.IO acks and CLI output.
 */
export const ERROR_CODES = {
  // request shape
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_BODY: { status: 400, message: 'The request body is invalid' },
  INVALID_PARAMS: { status: 400, message: 'The params do not match the action schema' },
  INVALID_ACTION_ID: { status: 400, message: 'An action id has the form plugin.action' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  // auth
  AUTH_REQUIRED: { status: 401, message: 'A bearer token is required' },
  AUTH_INVALID: { status: 401, message: 'The token is not valid' },
  FORBIDDEN: { status: 403, message: 'The token is not allowed to do this' },
  PATH_NOT_ALLOWED: { status: 403, message: "The path is outside the node's allowed_paths" },
  // lookup
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  NODE_NOT_FOUND: { status: 404, message: 'No such node is connected' },
  PLUGIN_NOT_FOUND: { status: 404, message: 'The node has no such plugin' },
  ACTION_NOT_FOUND: { status: 404, message: 'The plugin has no such action' },
  PLATFORM_UNSUPPORTED: { status: 409, message: "The plugin does not support the node's platform" },
  // the action ran and failed
  ACTION_FAILED: { status: 422, message: 'The action failed' },
  PATH_NOT_FOUND: { status: 422, message: 'The path does not exist' },
  APP_NOT_FOUND: { status: 422, message: 'The application was not found on the node' },
  APP_NOT_EXECUTABLE: { status: 422, message: 'The application could not be executed' },
  PROCESS_FAILED: { status: 422, message: 'A process exited with an error' },
  NO_DESKTOP_SESSION: { status: 422, message: 'The agent is not running in a desktop session' },
  INVALID_RESULT: { status: 422, message: 'The action returned a result that does not match its schema' },
  CANCELLED: { status: 409, message: 'The job was cancelled' },
  // node and transport
  NODE_DISCONNECTED: { status: 502, message: 'The node disconnected before the action finished' },
  NODE_TIMEOUT: { status: 504, message: 'The node did not answer in time' },
  TIMEOUT: { status: 504, message: 'The action exceeded its timeout' },
  SERVER_UNREACHABLE: { status: 503, message: 'The server could not be reached' },
  INTERNAL_ERROR: { status: 500, message: 'Internal error' },
  // agent handshake and configuration
  PROTOCOL_UNSUPPORTED: { status: 400, message: 'The agent speaks an unsupported protocol version' },
  MANIFEST_INVALID: { status: 400, message: 'A plugin manifest is invalid' },
  SCHEMA_LIMIT_EXCEEDED: {
    status: 400,
    message: 'A plugin schema exceeds what an advertised schema may cost to compile or run',
  },
  NODE_REPLACED: { status: 409, message: 'Another agent connected with the same node id' },
  CONFIG_INVALID: { status: 400, message: 'The configuration is invalid' },
  PLUGIN_LOAD_FAILED: { status: 400, message: 'A plugin could not be loaded' },
  // server and client (appended)
  METHOD_NOT_ALLOWED: { status: 405, message: 'The route does not accept this HTTP method' },
  NODE_PROTOCOL_ERROR: { status: 502, message: 'The node sent a malformed answer' },
  INVALID_RESPONSE: { status: 502, message: 'The server sent an answer that is not an OpenClaw response' },
  REQUEST_TIMEOUT: { status: 408, message: 'The server did not answer in time' },
  // resolve plugin
  RESOLVE_MODULE_NOT_FOUND: { status: 422, message: 'The Resolve scripting module could not be imported' },
  RESOLVE_NOT_RUNNING: { status: 422, message: 'DaVinci Resolve is not running' },
  RESOLVE_UNREACHABLE: { status: 422, message: 'DaVinci Resolve does not answer scripting calls' },
  RESOLVE_NO_PROJECT: { status: 422, message: 'DaVinci Resolve has no current project' },
  RESOLVE_IMPORT_FAILED: { status: 422, message: 'DaVinci Resolve imported no media' },
  RESOLVE_TIMELINE_FAILED: { status: 422, message: 'DaVinci Resolve could not create the timeline' },
  RESOLVE_BRIDGE_FAILED: { status: 422, message: 'The Resolve bridge script failed' },
  // shotgrid plugin
  SG_AUTH: { status: 422, message: 'ShotGrid rejected the script credentials' },
  SG_FORBIDDEN: { status: 422, message: 'ShotGrid denied permission' },
  SG_NOT_FOUND: { status: 422, message: 'ShotGrid has no such entity' },
  SG_AMBIGUOUS: { status: 422, message: 'More than one ShotGrid entity matched' },
  SG_VALIDATION: { status: 422, message: 'ShotGrid rejected the request' },
  SG_UNAVAILABLE: { status: 503, message: 'ShotGrid could not be reached' },
  SG_UPLOAD_FAILED: { status: 422, message: 'The upload to ShotGrid failed' },
  // nuke plugin
  RENDER_FAILED: { status: 422, message: 'The render failed or did not write every requested frame' },
  LICENSE_UNAVAILABLE: { status: 503, message: 'No license was available for the application' },
  SCRIPT_LOAD_FAILED: { status: 422, message: 'The application could not load the script' },
  // agent service install (appended)
  SERVICE_OPTIONS_INVALID: { status: 400, message: 'The service install options are invalid' },
  SERVICE_COMMAND_FAILED: { status: 500, message: 'A service manager command failed' },
  // rv plugin
  RV_UNREACHABLE: { status: 422, message: 'No running RV could be reached or started through rvpush' },
  // server job store
  JOB_NOT_FOUND: { status: 404, message: 'No such job' },
  JOB_STATE_CONFLICT: { status: 409, message: 'The job cannot move to that state from its current state' },
  JOB_LOST: { status: 502, message: 'The outcome of the job is unknown: the server stopped while it ran' },
  JOB_EXPIRED: {
    status: 504,
    message: 'The job waited in the queue past its ttl without the node connecting',
  },
  INVALID_CURSOR: { status: 400, message: 'The pagination cursor is not valid' },
  JOB_STORE_FAILED: { status: 500, message: 'The job store could not be opened or written' },
  // agent init
  CONFIG_EXISTS: { status: 409, message: 'The config file already exists' },
  // jobs on the agent (appended)
  NODE_BUSY: { status: 429, message: "The node's job queue is full" },
  // jobs over REST (appended)
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'The Idempotency-Key was already used for a different request',
  },
  // security (appended)
  RATE_LIMITED: { status: 429, message: 'Too many requests: try again later' },
  TLS_UNTRUSTED: { status: 502, message: "The server's TLS certificate is not trusted" },
  // fan-out (appended)
  ACTION_UNAVAILABLE: {
    status: 409,
    message: "The node's last capability check says the action cannot run there",
  },
  // scale-out (appended)
  CLUSTER_UNAVAILABLE: {
    status: 503,
    message: "The server process holding the node's connection did not answer",
  },
  // data directory lock (appended)
  DATA_DIR_LOCKED: { status: 409, message: 'The data directory is in use by another server process' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The serialised form of every error: REST bodies, Socket.IO acks, CLI `--json` output. */
export interface ErrorPayload {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const BRAND = Symbol.for('openclaw-node.error');
const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;

/** True for a code in ERROR_CODES. */
export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** HTTP status for a code; a plugin's own code (not in the table) means "the action ran and failed". */
export function statusForCode(code: string): number {
  return isKnownErrorCode(code) ? ERROR_CODES[code].status : 422;
}

/** True when `code` is a well-formed error code (UPPER_SNAKE_CASE). */
export function isValidErrorCode(code: unknown): code is string {
  return typeof code === 'string' && CODE_PATTERN.test(code);
}

export interface OpenClawErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The error class of the whole project. Plugins may use their own UPPER_SNAKE codes; those map to 422.
 * @example throw new OpenClawError('PATH_NOT_FOUND', `No such folder: ${p}`, { details: { field: 'path' } })
 */
export class OpenClawError extends Error {
  readonly [BRAND] = true;
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode | (string & {}), message?: string, options: OpenClawErrorOptions = {}) {
    const safeCode = isValidErrorCode(code) ? code : 'ACTION_FAILED';
    super(message ?? (isKnownErrorCode(safeCode) ? ERROR_CODES[safeCode].message : safeCode), {
      cause: options.cause,
    });
    this.name = 'OpenClawError';
    this.code = safeCode;
    this.status = statusForCode(safeCode);
    this.details = options.details;
  }

  toJSON(): ErrorPayload {
    return toErrorPayload(this);
  }
}

/** Brand check that works across duplicate installs, where `instanceof` does not. */
export function isOpenClawError(value: unknown): value is OpenClawError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Serialise any thrown value; unknown errors become INTERNAL_ERROR without their internal message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (isOpenClawError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'INTERNAL_ERROR', message: ERROR_CODES.INTERNAL_ERROR.message };
}

/** Rebuild an error from its payload (an ack or a REST body), keeping code, message and details. */
export function fromErrorPayload(payload: ErrorPayload): OpenClawError {
  return new OpenClawError(
    payload.code,
    payload.message,
    payload.details ? { details: payload.details } : {},
  );
}

/** True for something shaped like an ErrorPayload (validates inbound acks). */
export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    (v.details === undefined || (typeof v.details === 'object' && v.details !== null))
  );
}
