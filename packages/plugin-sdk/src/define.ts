import type { JsonSchema, OpenClawError, Platform } from '@openclaw-node/core';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { ActionContext } from './context.js';
import {
  createConfigResolver,
  defineConfig,
  isPluginConfigSpec,
  type ConfigResolver,
  type PluginConfigSpec,
} from './config.js';
import { SDK_VERSION } from './version.js';

const PLUGIN_BRAND = Symbol.for('openclaw-node.plugin');
const CONFIG_RESOLVER = Symbol.for('openclaw-node.plugin-config-resolver');

/** Params typed from a JSON Schema; an object schema gives an object type. */
export type ParamsOf<S> = S extends JSONSchema ? FromSchema<S> : Record<string, unknown>;

/** What `ctx.config` is in an action that names no config spec. */
export type UntypedConfig = Record<string, unknown>;

export interface ActionDefinition<S extends JSONSchema = JSONSchema, R = unknown, C = UntypedConfig> {
  description: string;
  params: S;
  result?: JSONSchema;
  /** Default timeout in seconds. */
  timeout?: number;
  /** At most one run at a time per node. */
  exclusive?: boolean;
  /** Codes this action may answer besides the generic ones: its plugin's own (`errors`) or core's. */
  errors?: readonly string[];
  /** The plugin's config spec: types `ctx.config`. It must be the one given to `definePlugin`. */
  config?: PluginConfigSpec<C>;
  /**
   * Runs instead of `run` when the plugin's config is invalid (a `ping` reports "unavailable"
   * rather than failing). Without it the action fails with the CONFIG_INVALID found at load.
   * Its answer is checked against `result` like run's; it is not typed as R, so that `run` alone
   * decides R.
   */
  onConfigInvalid?(error: OpenClawError, ctx: ActionContext<unknown>): unknown;
  run(params: ParamsOf<S>, ctx: ActionContext<C>): Promise<R> | R;
}

/**
 * Define one action; its params are typed from the schema with no `as const` needed, and
 * `ctx.config` from the plugin's config spec when `config` names it.
 * @example defineAction({ description: 'Say hi', params: { type: 'object', properties: {} }, run: () => ({ hi: true }) })
 */
export function defineAction<const S extends JSONSchema, R, C = UntypedConfig>(
  definition: ActionDefinition<S, R, C>,
): ActionDefinition<S, R, C> {
  return definition;
}

/** Any action, whatever its params: what a plugin's `actions` map holds. */
export interface AnyActionDefinition {
  description: string;
  params: JSONSchema;
  result?: JSONSchema;
  timeout?: number;
  exclusive?: boolean;
  errors?: readonly string[];
  /** Typed `unknown` so that it gives `defineAction` no contextual type to infer `ctx.config` from. */
  config?: unknown;
  onConfigInvalid?(error: OpenClawError, ctx: ActionContext<unknown>): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any action's context, whatever its config type
  run(params: never, ctx: ActionContext<any>): unknown;
}

export interface PluginInput {
  name: string;
  version: string;
  description: string;
  platforms: readonly Platform[];
  actions: Record<string, AnyActionDefinition>;
  /** The plugin's `plugin_config` section: a spec from `defineConfig`, or a bare JSON Schema. */
  config?: PluginConfigSpec<unknown> | JSONSchema;
  /** The plugin's own error codes (not core's), each with when it is answered; shown in the catalog. */
  errors?: Readonly<Record<string, string>>;
}

export interface PluginDefinition extends PluginInput {
  readonly [PLUGIN_BRAND]: true;
  /** The SDK version the plugin was defined with. */
  readonly sdk: string;
  readonly [CONFIG_RESOLVER]?: ConfigResolver;
}

/**
 * Define a plugin. The result is a branded plain object the agent's loader recognises. With
 * `config`, every action's `ctx.config` is the section validated once (per section object).
 * @example export default definePlugin({ name: 'hello', version: '1.0.0', description: 'Hi', platforms: ['linux'], actions: { hi } })
 */
export function definePlugin<P extends PluginInput>(definition: P): P & PluginDefinition {
  if (definition.config === undefined) return { ...definition, sdk: SDK_VERSION, [PLUGIN_BRAND]: true };
  const spec = isPluginConfigSpec(definition.config) ? definition.config : defineConfig(definition.config);
  const resolver = createConfigResolver(definition.name, spec);
  const actions: Record<string, AnyActionDefinition> = {};
  for (const [name, action] of Object.entries(definition.actions)) {
    if (action.config !== undefined && action.config !== definition.config) {
      throw new TypeError(`plugin ${definition.name}: action ${name} names another plugin's config spec`);
    }
    actions[name] = withValidatedConfig(action, resolver);
  }
  return {
    ...definition,
    actions,
    sdk: SDK_VERSION,
    [PLUGIN_BRAND]: true,
    [CONFIG_RESOLVER]: resolver,
  };
}

/** The action with `ctx.config` replaced by the validated section, or failing as the config does. */
function withValidatedConfig(action: AnyActionDefinition, resolver: ConfigResolver): AnyActionDefinition {
  const run = action.run.bind(action) as (params: unknown, ctx: ActionContext<unknown>) => unknown;
  return {
    ...action,
    run(params: unknown, ctx: ActionContext<unknown>): unknown {
      const outcome = resolver.resolve(ctx.config as Record<string, unknown> | undefined);
      if (!outcome.ok) {
        if (action.onConfigInvalid) return action.onConfigInvalid(outcome.error, ctx);
        throw outcome.error;
      }
      return run(params, { ...ctx, config: outcome.config });
    },
  };
}

/**
 * Validate a plugin's `plugin_config` section as the agent does at load: the CONFIG_INVALID naming
 * the field at fault, or undefined. The outcome is kept, so runs with the same section reuse it.
 */
export function checkPluginConfig(
  plugin: PluginDefinition,
  section: Record<string, unknown> | undefined,
): OpenClawError | undefined {
  const outcome = plugin[CONFIG_RESOLVER]?.resolve(section);
  return outcome && !outcome.ok ? outcome.error : undefined;
}

/** Brand check that works across duplicate installs of the SDK. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}

/** Widen a typed schema for code that only needs plain JSON. */
export function asJsonSchema(schema: JSONSchema): JsonSchema {
  return schema as JsonSchema;
}
