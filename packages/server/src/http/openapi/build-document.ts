import { ERROR_CODES, OPENCLAW_VERSION, isKnownErrorCode, type PluginsResponse } from '@openclaw-node/core';
import { EXEC_BODY_SCHEMA, FAN_OUT_BODY_SCHEMA, JOB_FIELDS } from '../../jobs/exec-body.js';
import { IDEMPOTENCY_HEADER } from '../../jobs/idempotency.js';
import { OPERATIONS, type OperationSpec } from './operations.js';
import { REST_SCHEMAS } from './rest-schemas.generated.js';

type Schema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the REST API: answers from the JSON Schemas generated from core's
 * REST types, request bodies from the ajv schemas the server validates with, error statuses from
 * the error table, and the exec body typed per action of `catalog` (params schemas as advertised).
 */
export function buildOpenApiDocument(catalog: PluginsResponse): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenClaw Node REST API',
      version: OPENCLAW_VERSION,
      description:
        'Run pipeline actions on VFX workstations. Every route but /api/health needs `Authorization: Bearer <token>`. ' +
        'The exec body lists the actions of the nodes connected when this document was served.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ...REST_SCHEMAS,
        OpenApiDocument: { type: 'object', required: ['openapi', 'paths'] },
        MeResponse: {
          type: 'object',
          required: ['name', 'roles'],
          properties: { name: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } } },
        },
        ExecBody: execBody(catalog),
        FanOutBody: { ...FAN_OUT_BODY_SCHEMA, properties: { ...FAN_OUT_BODY_SCHEMA.properties } },
        ErrorCode: {
          type: 'string',
          enum: Object.keys(ERROR_CODES),
          description: 'Codes of the error table; a plugin may answer its own UPPER_SNAKE code (422)',
        },
      },
    },
  };
}

function operation(op: OperationSpec): Schema {
  const responses: Record<string, Schema> = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    responses[status] =
      typeof answer === 'string'
        ? { description: answer, content: { 'application/json': { schema: ref(answer) } } }
        : {
            description: answer.text,
            content: { [answer.text.split(';')[0]!]: { schema: { type: 'string' } } },
          };
  }
  for (const [status, codes] of errorStatuses(op.errors)) {
    responses[status] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: ref('ErrorBody') } },
    };
  }
  const parameters: Schema[] = [];
  for (const match of op.path.matchAll(/\{(\w+)\}/g))
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  for (const q of op.query ?? [])
    parameters.push({
      name: q.name,
      in: 'query',
      required: false,
      description: q.description,
      schema: q.schema,
    });
  if (op.headers) {
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: false,
      description: 'Repeat-safe key: a repeated request within 24 h answers the original job',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.public ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(op.body === 'exec' ? 'ExecBody' : 'FanOutBody') } },
          },
        }
      : {}),
    responses,
  };
}

/** Error codes grouped by the HTTP status the error table gives them. */
function errorStatuses(codes: readonly string[]): Map<string, string[]> {
  const byStatus = new Map<string, string[]>();
  for (const code of codes) {
    if (!isKnownErrorCode(code)) throw new Error(`OpenAPI: ${code} is not in the error table`);
    const status = String(ERROR_CODES[code].status);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  if (codes.length > 0 && !byStatus.has('500')) byStatus.set('500', ['INTERNAL_ERROR']);
  return byStatus;
}

/** The exec body: one variant per catalog action (its params schema), or the untyped body when none. */
function execBody(catalog: PluginsResponse): Schema {
  const variants: Schema[] = [];
  for (const plugin of catalog.plugins) {
    for (const [name, action] of Object.entries(plugin.actions)) {
      const id = `${plugin.name}.${name}`;
      variants.push({
        type: 'object',
        title: id,
        description: action.description,
        additionalProperties: false,
        required: ['action'],
        properties: {
          ...JOB_FIELDS,
          action: { const: id },
          // `$id` makes the advertised schema's own `#/…` references resolve inside it.
          params: { $id: `urn:openclaw:action:${id}:params`, ...action.params },
        },
      });
    }
  }
  if (variants.length === 0) return { ...EXEC_BODY_SCHEMA };
  return { oneOf: variants };
}

function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` };
}
