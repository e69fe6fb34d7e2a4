import { OpenClawError, isKnownErrorCode } from './errors.js';
import { MANIFEST_LIMITS, PLUGIN_MANIFEST_SCHEMA, type PluginManifest } from './manifest.js';
import { checkSchemaCost, type SchemaBudget } from './schema-limits.js';
import { createSchemaCompiler, type Validator } from './schema-validator.js';
import { jsonDepth, nonFinitePath } from './stable-json.js';

// Compiled on first use: importing core must stay cheap for the CLI's start-up.
let compiled: { compiler: ReturnType<typeof createSchemaCompiler>; checkShape: Validator } | undefined;
function manifestChecker(): NonNullable<typeof compiled> {
  if (!compiled) {
    const compiler = createSchemaCompiler({ allErrors: false, useDefaults: false });
    compiled = { compiler, checkShape: compiler.compile(PLUGIN_MANIFEST_SCHEMA, 'manifest') };
  }
  return compiled;
}

/**
 * Check one advertised manifest: size, shape, that every params/result schema is itself a schema ajv
 * can compile, and what the schemas may cost (SCHEMA_LIMITS; every pattern must run on the linear-time
 * engine). Throws MANIFEST_INVALID or SCHEMA_LIMIT_EXCEEDED naming the plugin and the field.
 */
export function validateManifest(value: unknown): PluginManifest {
  const name =
    typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
      ? (value as { name: string }).name.slice(0, 64)
      : '(unnamed)';
  const fail = (field: string, message: string): never => {
    throw new OpenClawError('MANIFEST_INVALID', `plugin ${name}: ${field} ${message}`, {
      details: { plugin: name, field },
    });
  };
  const size = JSON.stringify(value ?? null).length;
  if (size > MANIFEST_LIMITS.maxManifestBytes) {
    fail('manifest', `is ${size} bytes, over the ${MANIFEST_LIMITS.maxManifestBytes}-byte limit`);
  }
  // Before the hash the catalog and hello refs key it by (stableStringify writes such numbers as null).
  const nonFinite = nonFinitePath(value);
  if (nonFinite !== undefined) {
    fail(`manifest${nonFinite}`.slice(0, 256), 'is a number JSON cannot hold (Infinity or NaN)');
  }
  const { compiler, checkShape } = manifestChecker();
  const errors = checkShape(value);
  if (errors) fail(errors[0]!.field, errors[0]!.message);
  const manifest = value as PluginManifest;
  const ownCodes = manifest.errors ?? {};
  for (const code of Object.keys(ownCodes)) {
    if (isKnownErrorCode(code)) fail(`manifest.errors.${code}`, 'redefines a core error code');
  }
  for (const [actionName, action] of Object.entries(manifest.actions)) {
    for (const [i, code] of (action.errors ?? []).entries()) {
      if (!isKnownErrorCode(code) && !Object.hasOwn(ownCodes, code)) {
        fail(
          `manifest.actions.${actionName}.errors[${i}]`,
          `names ${code}, which the plugin does not declare`,
        );
      }
    }
  }
  const budget: SchemaBudget = { nodes: 0, patterns: 0 };
  for (const [actionName, action] of Object.entries(manifest.actions)) {
    for (const key of ['params', 'result'] as const) {
      const schema = action[key];
      if (schema === undefined) continue;
      const field = `manifest.actions.${actionName}.${key}`;
      if (jsonDepth(schema) > MANIFEST_LIMITS.maxSchemaDepth) {
        fail(field, `is nested deeper than ${MANIFEST_LIMITS.maxSchemaDepth} levels`);
      }
      if (!compiler.ajv.validateSchema(schema)) {
        fail(field, `is not a valid JSON Schema: ${compiler.ajv.errorsText(compiler.ajv.errors)}`);
      }
      checkSchemaCost(schema, field, name, budget);
    }
  }
  return manifest;
}
