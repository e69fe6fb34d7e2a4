export {
  createClient,
  type ClientOptions,
  type ExecOptions,
  type OpenClawClient,
  type PageOptions,
  type RequestOptions,
  type WaitingExecBody,
} from './client.js';
export { OpenClawApiError, isErrorBody } from './api-error.js';
export { normalizeServerUrl } from './server-url.js';
export {
  followJobEvents,
  isTerminalState,
  type JobEventsOptions,
  type JobEventsSource,
} from './job-events.js';
export { parseSse, type SseMessage } from './sse.js';
export { followLiveEvents, type LiveEventsSource } from './live-events.js';
export type {
  CatalogPlugin,
  ErrorBody,
  ExecAccepted,
  ExecBody,
  ExecSuccess,
  ExecTargetSelector,
  FanOutBody,
  FanOutJob,
  FanOutResponse,
  FanOutUnavailable,
  HealthResponse,
  JobEventView,
  JobLinks,
  JobStateName,
  JobView,
  JobsQuery,
  JobsResponse,
  LiveEventView,
  MeResponse,
  NodeDetail,
  NodeSummary,
  NodesResponse,
  PluginsResponse,
} from '@openclaw-node/core';
