import type { JsonSchema, Platform } from '@openclaw-node/core';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { ActionContext } from './context.js';
import { SDK_VERSION } from './version.js';

const PLUGIN_BRAND = Symbol.for('openclaw-node.plugin');

/** Params typed from a JSON Schema; an object schema gives an object type. */
export type ParamsOf<S> = S extends JSONSchema ? FromSchema<S> : Record<string, unknown>;

export interface ActionDefinition<S extends JSONSchema = JSONSchema, R = unknown> {
  description: string;
  params: S;
  result?: JSONSchema;
  /** Default timeout in seconds. */
  timeout?: number;
  /** At most one run at a time per node. */
  exclusive?: boolean;
  run(params: ParamsOf<S>, ctx: ActionContext): Promise<R> | R;
}

/**
 * Define one action; its params are typed from the schema with no `as const` needed.
 * @example defineAction({ description: 'Say hi', params: { type: 'object', properties: {} }, run: () => ({ hi: true }) })
 */
export function defineAction<const S extends JSONSchema, R>(
  definition: ActionDefinition<S, R>,
): ActionDefinition<S, R> {
  return definition;
}

/** Any action, whatever its params: what a plugin's `actions` map holds. */
export interface AnyActionDefinition {
  description: string;
  params: JSONSchema;
  result?: JSONSchema;
  timeout?: number;
  exclusive?: boolean;
  run(params: never, ctx: ActionContext): unknown;
}

export interface PluginInput {
  name: string;
  version: string;
  description: string;
  platforms: readonly Platform[];
  actions: Record<string, AnyActionDefinition>;
}

export interface PluginDefinition extends PluginInput {
  readonly [PLUGIN_BRAND]: true;
  /** The SDK version the plugin was defined with. */
  readonly sdk: string;
}

/**
 * Define a plugin. The result is a branded plain object the agent's loader recognises.
 * @example export default definePlugin({ name: 'hello', version: '1.0.0', description: 'Hi', platforms: ['linux'], actions: { hi } })
 */
export function definePlugin<P extends PluginInput>(definition: P): P & PluginDefinition {
  return { ...definition, sdk: SDK_VERSION, [PLUGIN_BRAND]: true };
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
