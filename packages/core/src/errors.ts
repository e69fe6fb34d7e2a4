type ErrorTable = Record<string, { status: number; message: string }>;

// The core codes, by area. A code is never renamed or reused; new codes are added to their area
// here AND under the same area's heading in docs/errors.md (core/test/error-catalog.test.ts checks
// both). Codes that only one plugin answers are declared by that plugin (`definePlugin({ errors })`).
// `status` is the HTTP status a REST caller sees; the same `{ code, message, details }` payload
// travels in REST bodies, Socket.IO acks and CLI output.

const REQUEST = {
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_BODY: { status: 400, message: 'The request body is invalid' },
  INVALID_PARAMS: { status: 400, message: 'The params do not match the action schema' },
  INVALID_ACTION_ID: { status: 400, message: 'An action id has the form plugin.action' },
  INVALID_CURSOR: { status: 400, message: 'The pagination cursor is not valid' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'The route does not accept this HTTP method' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  REQUEST_TIMEOUT: { status: 408, message: 'The server did not answer in time' },
  BODY_TIMEOUT: { status: 408, message: 'The request body did not arrive in time' },
  BATCH_TOO_LARGE: { status: 413, message: 'One request would store more jobs or params bytes than allowed' },
} as const satisfies ErrorTable;

const AUTH = {
  AUTH_REQUIRED: { status: 401, message: 'A bearer token is required' },
  AUTH_INVALID: { status: 401, message: 'The token is not valid' },
  FORBIDDEN: { status: 403, message: 'The token is not allowed to do this' },
  PATH_NOT_ALLOWED: { status: 403, message: "The path is outside the node's allowed_paths" },
  RATE_LIMITED: { status: 429, message: 'Too many requests: try again later' },
  QUEUE_LIMIT: { status: 429, message: 'The token has too many jobs (or params bytes) waiting in the queue' },
  STREAM_LIMIT: { status: 429, message: 'Too many job event streams are open for this token or address' },
  TLS_UNTRUSTED: { status: 502, message: "The server's TLS certificate is not trusted" },
} as const satisfies ErrorTable;

const LOOKUP = {
  NODE_NOT_FOUND: { status: 404, message: 'No such node is connected' },
  NODE_UNKNOWN: {
    status: 403,
    message: 'A job can be queued only for a node id the server knows (seen, or listed in knownNodes)',
  },
  PLUGIN_NOT_FOUND: { status: 404, message: 'The node has no such plugin' },
  ACTION_NOT_FOUND: { status: 404, message: 'The plugin has no such action' },
  JOB_NOT_FOUND: { status: 404, message: 'No such job' },
  PLATFORM_UNSUPPORTED: { status: 409, message: "The plugin does not support the node's platform" },
  JOB_STATE_CONFLICT: { status: 409, message: 'The job cannot move to that state from its current state' },
  CANCELLED: { status: 409, message: 'The job was cancelled' },
  NODE_BUSY: { status: 429, message: "The node's job queue is full" },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    message: 'The Idempotency-Key was already used for a different request',
  },
  ACTION_UNAVAILABLE: {
    status: 409,
    message: "The node's last capability check says the action cannot run there",
  },
} as const satisfies ErrorTable;

const ACTION = {
  ACTION_FAILED: { status: 422, message: 'The action failed' },
  PATH_NOT_FOUND: { status: 422, message: 'The path does not exist' },
  APP_NOT_FOUND: { status: 422, message: 'The application was not found on the node' },
  APP_NOT_EXECUTABLE: { status: 422, message: 'The application could not be executed' },
  PROCESS_FAILED: { status: 422, message: 'A process exited with an error' },
  NO_DESKTOP_SESSION: { status: 422, message: 'The agent is not running in a desktop session' },
  INVALID_RESULT: { status: 422, message: 'The action returned a result that does not match its schema' },
} as const satisfies ErrorTable;

const TRANSPORT = {
  NODE_DISCONNECTED: { status: 502, message: 'The node disconnected before the action finished' },
  NODE_PROTOCOL_ERROR: { status: 502, message: 'The node sent a malformed answer' },
  JOB_LOST: { status: 502, message: 'The outcome of the job is unknown: the server stopped while it ran' },
  CLUSTER_UNAVAILABLE: {
    status: 503,
    message: "The server process holding the node's connection did not answer",
  },
  NODE_TIMEOUT: { status: 504, message: 'The node did not answer in time' },
  TIMEOUT: { status: 504, message: 'The action exceeded its timeout' },
  JOB_EXPIRED: {
    status: 504,
    message: 'The job waited in the queue past its ttl without the node connecting',
  },
  SERVER_UNREACHABLE: { status: 503, message: 'The server could not be reached' },
  INVALID_RESPONSE: { status: 502, message: 'The server sent an answer that is not an OpenClaw response' },
  INTERNAL_ERROR: { status: 500, message: 'Internal error' },
  JOB_STORE_FAILED: { status: 500, message: 'The job store could not be opened or written' },
  DATA_DIR_LOCKED: { status: 409, message: 'The data directory is in use by another server process' },
} as const satisfies ErrorTable;

const SETUP = {
  PROTOCOL_UNSUPPORTED: { status: 400, message: 'The agent speaks an unsupported protocol version' },
  MANIFEST_INVALID: { status: 400, message: 'A plugin manifest is invalid' },
  MANIFEST_UNKNOWN: {
    status: 409,
    message: 'The server does not know a plugin manifest the hello named by its ref',
  },
  SCHEMA_LIMIT_EXCEEDED: {
    status: 400,
    message: 'A plugin schema exceeds what an advertised schema may cost to compile or run',
  },
  NODE_REPLACED: { status: 409, message: 'Another agent connected with the same node id' },
  NODE_ID_IN_USE: { status: 409, message: 'An agent with another token is connected with this node id' },
  CONFIG_EXISTS: { status: 409, message: 'The config file already exists' },
  CONFIG_INVALID: { status: 400, message: 'The configuration is invalid' },
  PLUGIN_LOAD_FAILED: { status: 400, message: 'A plugin could not be loaded' },
  SERVICE_OPTIONS_INVALID: { status: 400, message: 'The service install options are invalid' },
  SERVICE_COMMAND_FAILED: { status: 500, message: 'A service manager command failed' },
  PORT_IN_USE: { status: 409, message: 'Another program already listens on the port' },
} as const satisfies ErrorTable;

/** The areas of the table, in the order docs/errors.md has them; `title` is the doc's `##` heading. */
export const ERROR_AREAS = {
  request: { title: 'The request', codes: REQUEST },
  auth: { title: 'Who you are', codes: AUTH },
  lookup: { title: 'What you asked for', codes: LOOKUP },
  action: { title: 'The action ran and failed', codes: ACTION },
  transport: { title: 'The node and the connection', codes: TRANSPORT },
  setup: { title: 'Agents, plugins and configuration', codes: SETUP },
} as const;

export type ErrorArea = keyof typeof ERROR_AREAS;

/** The one table of core error codes: every area's codes. */
export const ERROR_CODES = {
  ...REQUEST,
  ...AUTH,
  ...LOOKUP,
  ...ACTION,
  ...TRANSPORT,
  ...SETUP,
} as const satisfies ErrorTable;

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

/** A plugin's own code ending in this names a service the action needs that is down: retry later. */
const UNAVAILABLE_SUFFIX = '_UNAVAILABLE';

/**
 * HTTP status for a code. A plugin's own code (not in the table) means "the action ran and
 * failed", 422, or 503 when it ends in `_UNAVAILABLE` (`SG_UNAVAILABLE`, `LICENSE_UNAVAILABLE`).
 */
export function statusForCode(code: string): number {
  if (isKnownErrorCode(code)) return ERROR_CODES[code].status;
  return code.endsWith(UNAVAILABLE_SUFFIX) ? 503 : 422;
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
 * The error class of the whole project. Plugins may use their own UPPER_SNAKE codes (see statusForCode).
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
