import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** The `plugin_config.resolve` section of node_config.yaml, checked. */
export interface ResolveConfig {
  /** Resolve's executable (only used by ping to say whether Resolve is installed). */
  path?: string;
  /** The Python that runs the bridge (ResolvePython, or a Python 3.6+ with the scripting env). */
  python?: string;
  /** RESOLVE_SCRIPT_API override (the Developer/Scripting folder). */
  scriptApi?: string;
  /** RESOLVE_SCRIPT_LIB override (fusionscript.so / .dll). */
  scriptLib?: string;
  /** Bridge timeout in seconds, overriding each action's default. */
  timeoutSeconds?: number;
  /** Look for a Resolve process to tell "not running" from "scripting disabled" (default true). */
  processCheck: boolean;
}

const STRING_KEYS = {
  path: 'path',
  python: 'python',
  script_api: 'scriptApi',
  script_lib: 'scriptLib',
} as const;
const KNOWN_KEYS = new Set([...Object.keys(STRING_KEYS), 'timeout_seconds', 'process_check']);

/** Check and normalise the plugin's config; a wrong key or type is CONFIG_INVALID naming the key. */
export function loadResolveConfig(raw: Record<string, unknown>): ResolveConfig {
  const config: ResolveConfig = { processCheck: true };
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) throw invalid(key, `is not a known key (known: ${[...KNOWN_KEYS].join(', ')})`);
  }
  for (const [key, field] of Object.entries(STRING_KEYS)) {
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw invalid(key, 'must be a string');
    config[field] = value;
  }
  const timeout = raw.timeout_seconds;
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
      throw invalid('timeout_seconds', 'must be a number of seconds between 0 and 3600');
    }
    config.timeoutSeconds = timeout;
  }
  const check = raw.process_check;
  if (check !== undefined && check !== null) {
    if (typeof check !== 'boolean') throw invalid('process_check', 'must be true or false');
    config.processCheck = check;
  }
  return config;
}

function invalid(key: string, problem: string): OpenClawError {
  const field = `plugin_config.resolve.${key}`;
  return new OpenClawError('CONFIG_INVALID', `${field} ${problem}`, { details: { field } });
}
