import { JOB_STATES } from '../../jobs/index.js';

/** One operation of the REST API as the OpenAPI document describes it. */
export interface OperationSpec {
  method: 'get' | 'post';
  /** OpenAPI path template (`{id}`), matching the router's `:id`. */
  path: string;
  operationId: string;
  summary: string;
  /** Component schema of the success answer, per status; `text` for a non-JSON answer. */
  answers: Record<number, string | { text: string }>;
  /** Error codes this operation answers with (their statuses come from the error table). */
  errors: string[];
  /** Request body: `exec` (one node, typed per catalog action) or `fanOut`. */
  body?: 'exec' | 'fanOut';
  query?: { name: string; description: string; schema: Record<string, unknown> }[];
  /** Without a token (health only). */
  public?: boolean;
  headers?: boolean;
}

const AUTH = ['AUTH_REQUIRED', 'AUTH_INVALID', 'FORBIDDEN', 'RATE_LIMITED'];
const BODY = ['INVALID_JSON', 'INVALID_BODY', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'];
const RUN = [
  'INVALID_PARAMS',
  'INVALID_ACTION_ID',
  'NODE_NOT_FOUND',
  'PLUGIN_NOT_FOUND',
  'ACTION_NOT_FOUND',
  'PLATFORM_UNSUPPORTED',
  'PATH_NOT_ALLOWED',
  'ACTION_FAILED',
  'CANCELLED',
  'NODE_DISCONNECTED',
  'NODE_TIMEOUT',
  'TIMEOUT',
  'IDEMPOTENCY_KEY_REUSED',
];

/** Every route the server serves; a test checks this list against the router's layers. */
export const OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: '/api/health',
    operationId: 'getHealth',
    summary: 'Liveness and counts (no token)',
    answers: { 200: 'HealthResponse' },
    errors: [],
    public: true,
  },
  {
    method: 'get',
    path: '/api/nodes',
    operationId: 'listNodes',
    summary: 'Connected nodes',
    answers: { 200: 'NodesResponse' },
    errors: AUTH,
  },
  {
    method: 'get',
    path: '/api/nodes/{id}',
    operationId: 'getNode',
    summary: 'One connected node with its manifests, skipped plugins, jobs in flight and health',
    answers: { 200: 'NodeDetail' },
    errors: [...AUTH, 'NODE_NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/nodes/{id}/exec',
    operationId: 'execOnNode',
    summary: 'Run an action on one node; waits for the end unless "wait": false',
    answers: { 200: 'ExecSuccess', 202: 'ExecAccepted' },
    errors: [...AUTH, ...BODY, ...RUN, 'NODE_BUSY'],
    body: 'exec',
    headers: true,
  },
  {
    method: 'post',
    path: '/api/exec',
    operationId: 'execFanOut',
    summary: 'Run an action on every node a target selects (one job per node)',
    answers: { 200: 'FanOutResponse', 202: 'FanOutResponse' },
    errors: [...AUTH, ...BODY, 'INVALID_PARAMS', 'INVALID_ACTION_ID', 'IDEMPOTENCY_KEY_REUSED'],
    body: 'fanOut',
    headers: true,
  },
  {
    method: 'get',
    path: '/api/plugins',
    operationId: 'listPlugins',
    summary: 'The catalog: every plugin of the connected nodes, with its actions and params schemas',
    answers: { 200: 'PluginsResponse' },
    errors: AUTH,
  },
  {
    method: 'get',
    path: '/api/plugins/{name}',
    operationId: 'getPlugin',
    summary: 'One plugin of the catalog',
    answers: { 200: 'CatalogPlugin' },
    errors: [...AUTH, 'PLUGIN_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/jobs',
    operationId: 'listJobs',
    summary: 'Job history, newest first, by cursor',
    answers: { 200: 'JobsResponse' },
    errors: [...AUTH, 'INVALID_BODY'],
    query: [
      { name: 'node', description: 'Only this node', schema: { type: 'string' } },
      {
        name: 'state',
        description: 'Only these states (comma-separated)',
        schema: { type: 'string', examples: [JOB_STATES.join(',')] },
      },
      { name: 'action', description: 'Only this action id', schema: { type: 'string' } },
      { name: 'batch', description: 'Only the jobs of this fan-out batch', schema: { type: 'string' } },
      { name: 'requested_by', description: 'Only jobs of this token name', schema: { type: 'string' } },
      { name: 'limit', description: 'Page size', schema: { type: 'integer', minimum: 1, maximum: 500 } },
      { name: 'cursor', description: 'next_cursor of the previous page', schema: { type: 'string' } },
    ],
  },
  {
    method: 'get',
    path: '/api/jobs/{id}',
    operationId: 'getJob',
    summary: 'One job',
    answers: { 200: 'JobView' },
    errors: [...AUTH, 'JOB_NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/jobs/{id}/cancel',
    operationId: 'cancelJob',
    summary: 'Cancel a job: 200 when it ended, 202 when the node was told and has not answered yet',
    answers: { 200: 'JobView', 202: 'JobView' },
    errors: [...AUTH, 'JOB_NOT_FOUND', 'JOB_STATE_CONFLICT'],
  },
  {
    method: 'get',
    path: '/api/jobs/{id}/events',
    operationId: 'streamJobEvents',
    summary: 'Server-Sent Events of a job (state, progress, log), resumable with Last-Event-ID',
    answers: { 200: { text: 'text/event-stream' } },
    errors: [...AUTH, 'INVALID_BODY', 'JOB_NOT_FOUND'],
    query: [
      { name: 'after', description: 'Resume after this event id', schema: { type: 'integer', minimum: 0 } },
    ],
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document, with the exec body typed per action of the connected catalog',
    answers: { 200: 'OpenApiDocument' },
    errors: AUTH,
  },
  {
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    summary: "The caller's token name, roles and scopes",
    answers: { 200: 'MeResponse' },
    errors: AUTH,
  },
  {
    method: 'get',
    path: '/api/events',
    operationId: 'streamFleetEvents',
    summary: 'Server-Sent Events of the fleet (nodes and jobs), for the dashboard',
    answers: { 200: { text: 'text/event-stream' } },
    errors: AUTH,
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (viewer role or more, not node-scoped); absent when metrics are off',
    answers: { 200: { text: 'text/plain; version=0.0.4' } },
    errors: AUTH,
  },
];
