import { defineConfig, type ActionContext, type ConfigOf } from '@openclaw-node/plugin-sdk';

const text = { type: 'string', minLength: 1 } as const;

/** The `plugin_config.resolve` section of node_config.yaml: validated once at load by the SDK. */
export const resolveConfig = defineConfig({
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Resolve's executable (only used by ping to say whether Resolve is installed). */
    path: text,
    /** The Python that runs the bridge (ResolvePython, or a Python 3.6+ with the scripting env). */
    python: text,
    /** RESOLVE_SCRIPT_API override (the Developer/Scripting folder). */
    script_api: text,
    /** RESOLVE_SCRIPT_LIB override (fusionscript.so / .dll). */
    script_lib: text,
    /** Bridge timeout in seconds, overriding each action's default. */
    timeout_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    /** Look for a Resolve process to tell "not running" from "scripting disabled". */
    process_check: { type: 'boolean', default: true },
  },
});

export type ResolveSection = ConfigOf<typeof resolveConfig>;
export type ResolveContext = ActionContext<ResolveSection>;

/** The section as the bridge code reads it. */
export interface ResolveConfig {
  path?: string;
  python?: string;
  scriptApi?: string;
  scriptLib?: string;
  timeoutSeconds?: number;
  processCheck: boolean;
}

/** Rename the validated section's keys for the bridge code (no checks: the SDK made them). */
export function resolveSettings(section: ResolveSection): ResolveConfig {
  const settings: ResolveConfig = { processCheck: section.process_check };
  if (section.path !== undefined) settings.path = section.path;
  if (section.python !== undefined) settings.python = section.python;
  if (section.script_api !== undefined) settings.scriptApi = section.script_api;
  if (section.script_lib !== undefined) settings.scriptLib = section.script_lib;
  if (section.timeout_seconds !== undefined) settings.timeoutSeconds = section.timeout_seconds;
  return settings;
}
