import { ACTION_NAME_PATTERN, PLUGIN_NAME_PATTERN } from './action-id.js';
import { PLATFORMS, type Platform } from './platform.js';

/** A JSON Schema (draft-07) as plain JSON. */
export type JsonSchema = Record<string, unknown>;

/** One action as advertised: its definition minus the handler. Timeout in seconds. */
export interface ActionManifest {
  description: string;
  params: JsonSchema;
  result?: JsonSchema;
  /** Default timeout in seconds for one run of this action. */
  timeout?: number;
  /** At most one run of an exclusive action at a time on a node. */
  exclusive?: boolean;
  /** The codes this action may answer besides the generic ones: its plugin's own and core's. */
  errors?: string[];
}

/** A plugin as advertised by an agent: JSON only. */
export interface PluginManifest {
  name: string;
  version: string;
  description: string;
  platforms: Platform[];
  /** The plugin SDK version the plugin was built with. */
  sdk: string;
  actions: Record<string, ActionManifest>;
  /** The plugin's own error codes (not in core's table), each with when it is answered. */
  errors?: Record<string, string>;
}

export const MANIFEST_LIMITS = {
  /** Serialised size of one plugin manifest. */
  maxManifestBytes: 256 * 1024,
  maxActions: 100,
  maxPlugins: 64,
  maxSchemaDepth: 12,
  maxErrorCodes: 100,
} as const;

const ERROR_CODE_PATTERN = '^[A-Z][A-Z0-9_]{1,63}$';
/** Printable text: no control characters reach a terminal through a catalog. */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

/** The JSON Schema every advertised manifest must satisfy. */
export const PLUGIN_MANIFEST_SCHEMA = {
  $id: 'https://openclaw-node.dev/schemas/plugin-manifest.json',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'description', 'platforms', 'sdk', 'actions'],
  properties: {
    name: { type: 'string', pattern: PLUGIN_NAME_PATTERN },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.-]+)?$', maxLength: 64 },
    description: { type: 'string', minLength: 1, maxLength: 500 },
    platforms: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...PLATFORMS] },
    },
    sdk: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+', maxLength: 64 },
    errors: {
      type: 'object',
      maxProperties: MANIFEST_LIMITS.maxErrorCodes,
      propertyNames: { pattern: ERROR_CODE_PATTERN },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 500, pattern: PRINTABLE },
    },
    actions: {
      type: 'object',
      minProperties: 1,
      maxProperties: MANIFEST_LIMITS.maxActions,
      propertyNames: { pattern: ACTION_NAME_PATTERN },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'params'],
        properties: {
          description: { type: 'string', minLength: 1, maxLength: 500 },
          params: {
            type: 'object',
            required: ['type'],
            properties: { type: { const: 'object' } },
          },
          result: { type: 'object' },
          timeout: { type: 'number', exclusiveMinimum: 0, maximum: 7 * 24 * 3600 },
          exclusive: { type: 'boolean' },
          errors: {
            type: 'array',
            maxItems: MANIFEST_LIMITS.maxErrorCodes,
            uniqueItems: true,
            items: { type: 'string', pattern: ERROR_CODE_PATTERN },
          },
        },
      },
    },
  },
} as const;
