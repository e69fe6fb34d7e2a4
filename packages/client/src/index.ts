export { createClient, type ClientOptions, type OpenClawClient, type RequestOptions } from './client.js';
export { OpenClawApiError, isErrorBody } from './api-error.js';
export { normalizeServerUrl } from './server-url.js';
export type {
  CatalogPlugin,
  ErrorBody,
  ExecBody,
  ExecSuccess,
  HealthResponse,
  NodeDetail,
  NodeSummary,
  NodesResponse,
  PluginsResponse,
} from '@openclaw-node/core';
