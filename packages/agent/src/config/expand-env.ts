import { OpenClawError } from '@openclaw-node/core';
import { childField } from './field-path.js';

// `$${` is an escaped literal `${`; otherwise `${NAME}` or `${NAME:-default}`.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ExpandEnvOptions {
  env: NodeJS.ProcessEnv;
  /** Prefix of error messages, usually the config file. */
  source: string;
}

/**
 * Expand `${VAR}` and `${VAR:-default}` in every string value of a parsed config (keys are left
 * alone). A missing VAR without a default is CONFIG_INVALID naming the field and the variable.
 */
export function expandEnv(value: unknown, options: ExpandEnvOptions, field = ''): unknown {
  if (typeof value === 'string') return expandString(value, options, field);
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, options, childField(field, index)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = expandEnv(item, options, childField(field, key));
    return out;
  }
  return value;
}

function expandString(text: string, { env, source }: ExpandEnvOptions, field: string): string {
  const fail = (message: string, variable?: string): never => {
    throw new OpenClawError('CONFIG_INVALID', `${source}: ${field || 'value'} ${message}`, {
      details: { field: field || null, file: source, ...(variable ? { variable } : {}) },
    });
  };
  return text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (!match.endsWith('}')) {
      return fail(
        `has an unterminated "\${" in ${JSON.stringify(text)}: close it with "}" or write "$\${" for a literal "\${"`,
      );
    }
    const inner = body ?? '';
    const split = inner.indexOf(':-');
    const name = split === -1 ? inner : inner.slice(0, split);
    if (!NAME.test(name)) {
      return fail(
        `refers to \${${inner}}, which is not a valid variable reference: use \${NAME} or \${NAME:-default}`,
      );
    }
    const found = env[name];
    if (split !== -1) return found === undefined || found === '' ? inner.slice(split + 2) : found;
    if (found === undefined) {
      return fail(
        `refers to \${${name}}, which is not set: set the environment variable ${name} or give a default with \${${name}:-value}`,
        name,
      );
    }
    return found;
  });
}
