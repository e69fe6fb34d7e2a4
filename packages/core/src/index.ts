// The public API of @openclaw-node/core, by name: what the other packages and plugin authors use.
// Helpers only core itself needs stay in their modules.

// Errors: the one table of codes, the error class and its wire shape
export {
  ERROR_AREAS,
  ERROR_CODES,
  OpenClawError,
  fromErrorPayload,
  isErrorPayload,
  isKnownErrorCode,
  isOpenClawError,
  isValidErrorCode,
  statusForCode,
  toErrorPayload,
  type ErrorArea,
  type ErrorCode,
  type ErrorPayload,
  type OpenClawErrorOptions,
} from './errors.js';

// Plugins and their manifests
export { PLATFORMS, toPlatform, type Platform } from './platform.js';
export {
  ACTION_NAME_PATTERN,
  PLUGIN_NAME_PATTERN,
  formatActionId,
  parseActionId,
  type ActionId,
} from './action-id.js';
export {
  MANIFEST_LIMITS,
  PLUGIN_MANIFEST_SCHEMA,
  type ActionManifest,
  type JsonSchema,
  type PluginManifest,
} from './manifest.js';
export { validateManifest } from './manifest-validator.js';
export {
  assertValid,
  createSchemaCompiler,
  type FieldError,
  type SchemaCompilerOptions,
  type Validator,
} from './schema-validator.js';
export { SCHEMA_LIMITS } from './schema-limits.js';
export { compileLinearPattern, type LinearRegExp } from './linear-regexp.js';
export { isAbsolutePathValue } from './path-format.js';

// The agent ↔ server protocol (Socket.IO)
export {
  AGENT_NAMESPACE,
  DEFAULT_SOCKET_PATH,
  FATAL_HANDSHAKE_CODES,
  MANIFEST_REF_PATTERN,
  PROTOCOL_VERSION,
  type AgentLimits,
  type AgentToServerEvents,
  type CancelRequest,
  type ExecAck,
  type ExecRequest,
  type HandshakeAuth,
  type HelloAck,
  type HelloByRefPayload,
  type HelloPayload,
  type JobAcceptedEvent,
  type JobProgressEvent,
  type JobStartedEvent,
  type NodeHealthEvent,
  type PluginHealth,
  type ReplacedNotice,
  type RevokedNotice,
  type ServerToAgentEvents,
  type SkippedPlugin,
} from './protocol.js';
export { sameHealth } from './same-health.js';

// The REST API's bodies
export {
  JOB_STATE_NAMES,
  TERMINAL_JOB_STATES,
  type CatalogAction,
  type CatalogNode,
  type CatalogPlugin,
  type ErrorBody,
  type ExecAccepted,
  type ExecBody,
  type ExecResponse,
  type ExecSuccess,
  type ExecTargetSelector,
  type FanOutBody,
  type FanOutJob,
  type FanOutResponse,
  type FanOutUnavailable,
  type HealthResponse,
  type JobEventView,
  type JobLinks,
  type JobStateName,
  type JobView,
  type JobsQuery,
  type JobsResponse,
  type NodeDetail,
  type NodePluginHealth,
  type NodeSummary,
  type NodesResponse,
  type PendingJob,
  type PluginsResponse,
  type TerminalJobStateName,
} from './rest.js';
export type { LiveEventView, MeResponse } from './rest-session.js';

// Small shared helpers
export { OPENCLAW_VERSION } from './version.js';
export { DOCS_BASE_URL, docsUrl } from './docs-url.js';
export { nearestName } from './nearest-name.js';
export { nonFinitePath, stableStringify } from './stable-json.js';
export { shellLine, shellQuote } from './shell-quote.js';
export { backoffDelay, type BackoffDelayOptions } from './backoff.js';
