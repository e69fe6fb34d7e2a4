import { assertValid, createSchemaCompiler, type ExecBody } from '@openclaw-node/core';

const EXEC_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', minLength: 1, maxLength: 200 },
    // null is "not given": Python scripts send `params=None` / `timeout=None` as null.
    params: { type: ['object', 'null'] },
    timeout: { type: ['number', 'null'], exclusiveMinimum: 0 },
  },
};

const checkExecBody = createSchemaCompiler({ allErrors: false, useDefaults: false }).compile(
  EXEC_BODY_SCHEMA,
  'body',
);

/** Check the shape of a `POST /api/nodes/:id/exec` body; throws INVALID_BODY naming the field. */
export function parseExecBody(body: unknown): ExecBody {
  assertValid(checkExecBody(body), 'INVALID_BODY');
  return body as ExecBody;
}
