import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { OpenClawError, type ErrorCode } from './errors.js';
import { linearRegExp } from './linear-regexp.js';
import { isAbsolutePathValue } from './path-format.js';
import type { JsonSchema } from './manifest.js';

// ajv-formats is CommonJS with a `default` property; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** One field at fault, as reported to callers. */
export interface FieldError {
  /** Where: `params.sources[0]`, `params.frame_range`. */
  field: string;
  message: string;
  keyword: string;
}

export type Validator = (value: unknown) => FieldError[] | null;

export interface SchemaCompilerOptions {
  /** Report every error rather than the first: off for network input (a DoS vector). */
  allErrors?: boolean;
  /** Fill in `default` values from the schema. */
  useDefaults?: boolean;
  /**
   * The schemas are this code's own, with patterns written here (not a plugin's): run them on
   * JavaScript's RegExp instead of the linear-time engine, several times faster. Never for a schema
   * that comes from a plugin or an agent.
   */
  ownPatterns?: boolean;
}

/** An ajv instance with our formats. Compile once per schema and keep the result. */
export function createSchemaCompiler(options: SchemaCompilerOptions = {}): {
  compile(schema: JsonSchema, root?: string): Validator;
  ajv: Ajv;
} {
  const ajv = new Ajv({
    allErrors: options.allErrors ?? false,
    useDefaults: options.useDefaults ?? true,
    strict: false,
    logger: false,
    allowUnionTypes: true,
    ownProperties: true,
    // Schemas come from plugins, and the server compiles every agent's: patterns run in linear time.
    ...(options.ownPatterns === true ? {} : { code: { regExp: linearRegExp } }),
  });
  addFormats(ajv);
  ajv.addFormat('path', { type: 'string', validate: isAbsolutePathValue });
  return {
    ajv,
    compile(schema, root = 'params') {
      return wrapValidator(ajv.compile(schema), root);
    },
  };
}

function wrapValidator(validate: ValidateFunction, root: string): Validator {
  return (value) => (validate(value) ? null : (validate.errors ?? []).map((e) => toFieldError(e, root)));
}

function toFieldError(error: ErrorObject, root: string): FieldError {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    segments.push(params.missingProperty);
  }
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    segments.push(params.additionalProperty);
  }
  const field = segments.reduce(
    (path, s) =>
      /^\d+$/.test(s)
        ? `${path}[${s}]`
        : /^[A-Za-z_$][\w$]*$/.test(s)
          ? `${path}.${s}`
          : `${path}[${JSON.stringify(s)}]`,
    root,
  );
  return { field, message: describe(error), keyword: error.keyword };
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known property';
    case 'format':
      return params.format === 'path'
        ? 'must be an absolute path (no control characters)'
        : `must match format "${String(params.format)}"`;
    case 'enum':
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Throw `code` (INVALID_PARAMS by default) for a non-null list of field errors. */
export function assertValid(errors: FieldError[] | null, code: ErrorCode = 'INVALID_PARAMS'): void {
  if (!errors || errors.length === 0) return;
  const first = errors[0]!;
  throw new OpenClawError(code, `${first.field} ${first.message}`, {
    details: { field: first.field, errors },
  });
}
