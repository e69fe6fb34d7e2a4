import {
  PLATFORMS,
  assertValid,
  createSchemaCompiler,
  type ExecBody,
  type ExecTargetSelector,
  type FanOutBody,
} from '@openclaw-node/core';

// null is "not given": Python scripts send `params=None` / `timeout=None` as null.
export const JOB_FIELDS = {
  action: { type: 'string', minLength: 1, maxLength: 200 },
  params: { type: ['object', 'null'] },
  timeout: { type: ['number', 'null'], exclusiveMinimum: 0 },
  wait: { type: ['boolean', 'null'] },
  queue: { type: ['boolean', 'null'] },
  ttl: { type: ['number', 'null'], exclusiveMinimum: 0 },
};

export const EXEC_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: JOB_FIELDS,
};

const ID_LIST = (maxItems: number, pattern: string) => ({
  type: 'array',
  minItems: 1,
  maxItems,
  uniqueItems: true,
  items: { type: 'string', pattern },
});

export const FAN_OUT_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'action'],
  properties: {
    ...JOB_FIELDS,
    target: {
      type: 'object',
      additionalProperties: false,
      properties: {
        nodes: ID_LIST(1000, '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
        tags: ID_LIST(64, '^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$'),
        platform: { enum: [...PLATFORMS] },
        plugin: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
        all: { type: 'boolean' },
      },
    },
  },
};

const compiler = createSchemaCompiler({ allErrors: false, useDefaults: false });
const checkExecBody = compiler.compile(EXEC_BODY_SCHEMA, 'body');
const checkFanOutBody = compiler.compile(FAN_OUT_BODY_SCHEMA, 'body');

/** A body with every `null` ("not given") removed: the body itself when it has none (the usual case). */
function withoutNulls<T extends object>(body: T): T {
  for (const value of Object.values(body)) {
    if (value === null) return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)) as T;
  }
  return body;
}

/** Bodies already checked: the security guard and the dispatcher both parse the same request body. */
const checkedExecBodies = new WeakMap<object, ExecBody>();

/**
 * Check the shape of a `POST /api/nodes/:id/exec` body; throws INVALID_BODY naming the field. The
 * result may be the body itself (read-only to callers), and is the same object on a second call.
 */
export function parseExecBody(body: unknown): Readonly<ExecBody> {
  const known = typeof body === 'object' && body !== null ? checkedExecBodies.get(body) : undefined;
  if (known) return known;
  assertValid(checkExecBody(body), 'INVALID_BODY');
  const parsed = withoutNulls(body as ExecBody);
  checkedExecBodies.set(body as object, parsed);
  return parsed;
}

/** Check the shape of a `POST /api/exec` body; throws INVALID_BODY naming the field. */
export function parseFanOutBody(body: unknown): FanOutBody & { target: ExecTargetSelector } {
  assertValid(checkFanOutBody(body), 'INVALID_BODY');
  return withoutNulls(body as FanOutBody);
}
