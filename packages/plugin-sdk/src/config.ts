import {
  OpenClawError,
  createSchemaCompiler,
  isOpenClawError,
  type JsonSchema,
  type Validator,
} from '@openclaw-node/core';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

const CONFIG_BRAND = Symbol.for('openclaw-node.plugin-config');

export interface PluginConfigHooks<T> {
  /**
   * Values taken from the environment where `plugin_config.<name>` does not set a key (a key the
   * file sets wins). Runs before validation, so the schema checks them too.
   * @example defaults: (env) => ({ site: env.SHOTGRID_URL })
   */
  defaults?(env: NodeJS.ProcessEnv): Record<string, unknown>;
  /** Checks a JSON Schema cannot express; throw `configError(plugin, key, problem)`. */
  check?(config: T, env: NodeJS.ProcessEnv): void;
}

/** A plugin's config: its JSON Schema, its hooks, and the type `ctx.config` has in its actions. */
export interface PluginConfigSpec<T> extends PluginConfigHooks<T> {
  readonly [CONFIG_BRAND]: true;
  readonly schema: JsonSchema;
  /** Phantom: the validated config's type. */
  readonly type?: T;
}

/** The config type a schema describes (deferred, so that inference does not expand it too early). */
export type ConfigFromSchema<S> = S extends JSONSchema ? FromSchema<S> : never;

/** The validated config type of a spec: `ConfigOf<typeof shotgridConfig>`. */
export type ConfigOf<C> = C extends PluginConfigSpec<infer T> ? T : never;

/**
 * Declare a plugin's `plugin_config` section: validated once at load (a wrong key or type is
 * CONFIG_INVALID naming `plugin_config.<plugin>.<key>`), and typed from the schema for the
 * plugin's actions (`defineAction<typeof config>` or `definePlugin({ config })`).
 * Keys with a `default` are filled in and typed as present.
 * @example const config = defineConfig({ type: 'object', additionalProperties: false, properties: { path: { type: 'string' } } })
 */
export function defineConfig<const S extends JSONSchema>(
  schema: S,
  hooks: PluginConfigHooks<ConfigFromSchema<S>> = {},
): PluginConfigSpec<ConfigFromSchema<S>> {
  return { ...hooks, schema: schema as JsonSchema, [CONFIG_BRAND]: true };
}

export function isPluginConfigSpec(value: unknown): value is PluginConfigSpec<unknown> {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CONFIG_BRAND] === true
  );
}

/** CONFIG_INVALID for one key of a plugin's section, naming it as `plugin_config.<plugin>.<key>`. */
export function configError(plugin: string, key: string, problem: string): OpenClawError {
  const field = `plugin_config.${plugin}.${key}`;
  return new OpenClawError('CONFIG_INVALID', `${field} ${problem}`, { details: { field } });
}

export type ConfigOutcome = { ok: true; config: unknown } | { ok: false; error: OpenClawError };

/** Validates sections of one plugin, each raw section object once (the agent's sections never change). */
export interface ConfigResolver {
  resolve(raw: Record<string, unknown> | undefined): ConfigOutcome;
}

const compiler = createSchemaCompiler({ allErrors: false, useDefaults: true });

/** Build the resolver for one plugin's config spec; the schema is compiled once. */
export function createConfigResolver(
  plugin: string,
  spec: PluginConfigSpec<unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ConfigResolver {
  let validate: Validator | undefined;
  const seen = new WeakMap<object, ConfigOutcome>();
  const EMPTY = {};
  return {
    resolve(raw = EMPTY) {
      const cached = seen.get(raw);
      if (cached) return cached;
      validate ??= compiler.compile(spec.schema, `plugin_config.${plugin}`);
      const outcome = resolveOnce(raw, spec, validate, env);
      seen.set(raw, outcome);
      return outcome;
    },
  };
}

const parsers = new WeakMap<PluginConfigSpec<unknown>, Map<string, ConfigResolver>>();

/**
 * Validate one section outside an action run (a plugin's own tests, a doctor check): the typed
 * config, or a thrown CONFIG_INVALID naming the field at fault.
 */
export function parseConfig<T>(
  plugin: string,
  spec: PluginConfigSpec<T>,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const byPlugin = parsers.get(spec) ?? new Map<string, ConfigResolver>();
  parsers.set(spec, byPlugin);
  const key = env === process.env ? plugin : `${plugin}\u0000custom-env`;
  let resolver = byPlugin.get(key);
  if (!resolver) {
    resolver = createConfigResolver(plugin, spec, env);
    if (env === process.env) byPlugin.set(key, resolver);
  }
  const outcome = resolver.resolve(raw);
  if (!outcome.ok) throw outcome.error;
  return outcome.config as T;
}

function resolveOnce(
  raw: Record<string, unknown>,
  spec: PluginConfigSpec<unknown>,
  validate: Validator,
  env: NodeJS.ProcessEnv,
): ConfigOutcome {
  try {
    // A YAML key with no value (`path:`) is null: it counts as unset, like a key not written.
    const set = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== null));
    const config: Record<string, unknown> = { ...withoutUndefined(spec.defaults?.(env) ?? {}), ...set };
    const errors = validate(config);
    if (errors) {
      const first = errors[0]!;
      return {
        ok: false,
        error: new OpenClawError('CONFIG_INVALID', `${first.field} ${first.message}`, {
          details: { field: first.field },
        }),
      };
    }
    spec.check?.(config, env);
    return { ok: true, config };
  } catch (error) {
    if (isOpenClawError(error)) return { ok: false, error };
    throw error;
  }
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}
